package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.coordinator.CoordinatorStore;
import io.tunnelmesh.api.coordinator.MeshRecord;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.api.coordinator.TokenRecord;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running coordinator without OSGi: store threads, registry, control server, and the operations the
 * commands call. {@link CoordinatorService} runs one under DS; tests and the benchmark start it directly.
 */
public final class Coordinator implements AutoCloseable {
    /** A member and whether it has a session now. */
    public record NodeView(NodeRecord record, boolean online) {
    }

    /** What {@code tm:coordinator} prints. */
    public record Status(InetSocketAddress listen, NodeKey publicKey, MeshRecord mesh, int members, int online,
            int connections, int unauthenticated, long deltasSent, Map<Counters.Kind, Long> counters, String stun,
            StunResponder.Counts stunCounts, RelayCounters.Counts relay) {
    }

    private final CoordinatorStore store;
    private final StaticKeyPair key;
    private final CoordinatorSettings settings;
    private final InstantSource clock;
    private final StoreExecutor storeCalls;
    private final PeerRegistry registry;
    private final ConnectionGate gate;
    private final Counters counters;
    private final MeshRecord mesh;
    private final ControlServer server;
    private final RelayHub relay;
    private final TokenIssuer issuer = new TokenIssuer();
    private InetSocketAddress address;
    private StunResponder stun;
    private String stunState = "off (stun.port 0)";

    private Coordinator(CoordinatorStore store, StaticKeyPair key, CoordinatorSettings settings, Limits limits,
            ComponentLog log, InstantSource clock, StoreExecutor storeCalls, MeshRecord mesh) {
        this.store = store;
        this.key = key;
        this.settings = settings;
        this.clock = clock;
        this.storeCalls = storeCalls;
        this.mesh = mesh;
        this.counters = new Counters();
        RateLimitedLog problems = new RateLimitedLog(log, counters, clock);
        ControlCodec codec = new ControlCodec();
        EndpointRecorder recorder = new EndpointRecorder(store, storeCalls, log);
        this.gate = new ConnectionGate(limits, problems);
        // the relay asks the registry who is a member; the registry tells the relay who was removed
        this.relay = new RelayHub(key, this::isMember, limits.handshakeTimeout(), gate, problems);
        this.registry = new PeerRegistry(codec, clock, recorder, limits.batchDelay().toMillis(),
                limits.presenceDelay().toMillis(), relay::removed);
        Admission admission = new Admission(store, new AuthorizedKeys(settings.authorizedKeys(), log), clock);
        this.server = new ControlServer(new ControlContext(key, mesh, codec, storeCalls, admission, registry, gate,
                new MapPermits(limits.concurrentMaps()), problems, limits, clock, log, relay));
    }

    /**
     * Opens the mesh in the store (creating it on first start), loads its members and listens.
     *
     * @throws IOException              one line: the store failed or the address cannot be bound
     * @throws IllegalArgumentException one line: the mesh CIDR differs from the one the mesh was created with
     */
    public static Coordinator start(CoordinatorStore store, StaticKeyPair key, CoordinatorSettings settings,
            Limits limits, ComponentLog log, InstantSource clock) throws IOException {
        StoreExecutor storeCalls = new StoreExecutor();
        Coordinator coordinator = null;
        try {
            MeshRecord mesh = storeCalls.call(() -> store.mesh(settings.meshCidr()));
            List<NodeRecord> nodes = storeCalls.call(store::nodes);
            coordinator = new Coordinator(store, key, settings, limits, log, clock, storeCalls, mesh);
            coordinator.registry.load(nodes);
            coordinator.address = coordinator.server.bind(settings.listen());
            coordinator.startStun(log);
            log.info("coordinator " + key.publicKey() + " listening on "
                    + HostPort.format(coordinator.address.getAddress(), coordinator.address.getPort()) + ", mesh "
                    + mesh.ipv4Cidr() + " " + mesh.ipv6Prefix() + ", " + nodes.size() + " member(s), STUN " + coordinator.stunState);
            return coordinator;
        } catch (IllegalStateException e) {
            close(coordinator, storeCalls);
            throw new IOException(e.getMessage());
        } catch (IOException | RuntimeException e) {
            close(coordinator, storeCalls);
            throw e;
        }
    }

    /** A STUN port that cannot be bound is one error line; the control channel runs on without it. */
    private void startStun(ComponentLog log) {
        if (settings.stunPort() == 0) {
            return;
        }
        try {
            stun = StunResponder.start(new InetSocketAddress(settings.stunPort()), log);
            stunState = "UDP port " + stun.address().getPort() + " (all addresses)";
        } catch (IOException e) {
            stunState = "not running: " + e.getMessage();
            log.error(e.getMessage() + "; the coordinator runs without STUN");
        }
    }

    private static void close(Coordinator coordinator, StoreExecutor storeCalls) {
        if (coordinator != null) {
            coordinator.close();
        } else {
            storeCalls.close();
        }
    }

    private boolean isMember(NodeKey node) {
        return registry.isMember(node);
    }

    public InetSocketAddress address() {
        return address;
    }

    public NodeKey publicKey() {
        return key.publicKey();
    }

    public Counters counters() {
        return counters;
    }

    /** The token's addresses: {@code advertise}, else worked out from the listen address and interfaces. */
    public List<String> advertised() {
        CoordinatorSettings effective = settings.listen().getPort() == 0 && address != null
                ? new CoordinatorSettings(address, settings.meshCidr(), settings.advertise(), settings.authorizedKeys(),
                        settings.stunPort())
                : settings;
        return AdvertisedAddresses.of(effective);
    }

    /** @return the token text; the store has committed its record */
    public TokenIssuer.Issued createToken(boolean reusable, Duration expires, String name) {
        TokenIssuer.Issued issued = issuer.issue(key.publicKey(), advertised(), reusable, expires, name, clock.instant());
        storeCalls.call(() -> {
            store.createToken(issued.record());
            return null;
        });
        return issued;
    }

    public List<TokenRecord> tokens() {
        return storeCalls.call(store::tokens);
    }

    public boolean revokeToken(String id) {
        return storeCalls.call(() -> store.revokeToken(id, clock.instant()));
    }

    public List<NodeView> nodes() {
        return storeCalls.call(store::nodes).stream()
                .map(r -> new NodeView(r, registry.isOnline(r.publicKey())))
                .toList();
    }

    /**
     * Removes a member by name or public key: committed in the store, then every session hears it at once and
     * the node itself gets {@code bye}.
     *
     * @throws IllegalArgumentException one line when no member matches
     */
    public NodeRecord removeNode(String nameOrKey) {
        Optional<NodeRecord> removed = storeCalls.call(() -> {
            for (NodeRecord r : store.nodes()) {
                if (r.name().equals(nameOrKey) || r.publicKey().toBase64().equals(nameOrKey)) {
                    return store.removeNode(r.publicKey());
                }
            }
            return Optional.<NodeRecord>empty();
        });
        NodeRecord record = removed.orElseThrow(() -> new IllegalArgumentException("no member is named or has the key '"
                + NodeNames.oneLine(nameOrKey) + "': tm:nodes lists them"));
        registry.removed(record.publicKey());
        return record;
    }

    public Status status() {
        return new Status(address, key.publicKey(), mesh, registry.members(), registry.online(), gate.connections(),
                gate.unauthenticated(), registry.deltasSent(), counters.snapshot(), stunState,
                stun == null ? new StunResponder.Counts(0, 0, 0, 0) : stun.counts(), relay.counts());
    }

    @Override
    public void close() {
        if (stun != null) {
            stun.close();
        }
        server.close();
        registry.close();
        storeCalls.close();
    }
}
