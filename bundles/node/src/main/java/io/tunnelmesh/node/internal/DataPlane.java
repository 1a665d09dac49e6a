package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.node.PingReply;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running node's data plane: the TUN device, the engine, the peers and the transports, and the
 * {@link PacketPath} whose threads move packets between them. Control calls (peers, engine and transport
 * changes) come from DS and shell threads, serialise on one lock and publish a new {@link PeerSet}; the packet
 * threads never lock.
 */
final class DataPlane implements AutoCloseable {
    /** Replaced only by {@link #changeAddresses}; read by status calls. */
    private volatile NodeSettings settings;
    private final EngineOptions engineOptions;
    private final TunDevice tun;
    private final ComponentLog log;
    private final DropCounters drops = new DropCounters();
    private final TransportBindings transports;
    private final EndpointResolver resolver;
    private final PacketPath path;
    private final Object lock = new Object();
    private final PeerTable peers = new PeerTable();
    private final EngineSlot engines;
    /** Replaced whole under {@link #lock}; the packet threads read it without locking. */
    private volatile PeerSet current = PeerSet.EMPTY;
    private boolean announcedUp;

    DataPlane(NodeSettings settings, EngineOptions engineOptions, TunDevice tun, ComponentLog log) {
        this.settings = settings;
        this.engineOptions = engineOptions;
        this.tun = tun;
        this.log = log;
        this.engines = new EngineSlot(engineOptions, log);
        this.transports = new TransportBindings(settings.listenPort(), log);
        this.resolver = new EndpointResolver(transports, log);
        this.path = new PacketPath(tun, this::peerSet, new Egress(transports, drops), drops, log, this::housekeeping,
                settings.decryptThread());
    }

    PeerSet peerSet() {
        return current;
    }

    void start() {
        transportsChanged(transports.open(path.ingress));
        path.start(tun.name());
    }

    /** Replaces the engine (null: none); peers move to the new one and handshake again at once. */
    void useHandshakeService(HandshakeService service) {
        synchronized (lock) {
            if (engines.holds(service)) {
                return;
            }
            TunnelEngine next = engines.replace(service, current.engine, System.nanoTime());
            for (NodePeer p : peers.all()) {
                p.attach(next == null ? null : next.addPeer(p.key, p.config().persistentKeepaliveSeconds()));
                if (next != null && engines.hadEngine() && p.endpoint() != null) {
                    p.tunnel().requestHandshake();
                }
            }
            publish(next);
            engines.settled(next);
            checkUp();
        }
    }

    /** A transport service arrived or its properties changed (a better-ranked one replaces the bound one). */
    void offerTransport(TransportBindings.Offer offer) {
        transportsChanged(transports.offer(offer));
    }

    void withdrawTransport(Transport transport) {
        transportsChanged(transports.withdraw(transport));
    }

    /** Endpoints belong to the binding that made them: after a binding changed, the peers' paths are read again. */
    private void transportsChanged(boolean changed) {
        synchronized (lock) {
            if (changed) {
                for (NodePeer p : peers.all()) {
                    p.path().transportsChanged(resolver);
                }
                path.wakeTimers(); // peers that just got a path may be due: their first initiation goes out now
            }
            checkUp();
        }
    }

    /** Why a bound transport refuses one of {@code config}'s endpoints, or null; for {@code tm:peer-add}. */
    String refusedEndpoint(PeerConfig config) {
        synchronized (lock) {
            for (EndpointSpec spec : config.endpoints()) {
                String why = resolver.refusal(spec);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }
    }

    /** Adds or replaces a peer, like {@code wg set … peer}; prefixes it claims are taken from other peers. */
    void putPeer(PeerConfig config) {
        applyPeers(List.of(config), List.of());
    }

    boolean removePeer(NodeKey key) {
        return applyPeers(List.of(), List.of(key)) > 0;
    }

    /**
     * Removes {@code removed}, then adds or replaces {@code upserts} in order (see {@link PeerTable#apply}), and
     * publishes one new peer set for the whole batch: the packet threads see all of it or none of it.
     *
     * @return how many of {@code removed} were known
     */
    int applyPeers(Collection<PeerConfig> upserts, Collection<NodeKey> removed) {
        synchronized (lock) {
            TunnelEngine engine = current.engine;
            int known = peers.apply(upserts, removed, engine, resolver);
            publish(engine);
            return known;
        }
    }

    private void publish(TunnelEngine engine) {
        current = PeerSet.of(engine, peers.all());
        path.wakeTimers();
    }

    /**
     * Gives the interface {@code next}'s addresses in place; everything else in {@code next} must be as now.
     *
     * @throws UnsupportedOperationException when the TUN device cannot (then the caller reopens it)
     */
    void changeAddresses(NodeSettings next) throws IOException {
        tun.setAddresses(next.addresses());
        settings = next;
    }

    /** Once a second on the timer thread. */
    private void housekeeping() {
        transportsChanged(transports.reconcile());
        synchronized (lock) {
            engines.closeExpired(System.nanoTime());
            checkUp();
        }
    }

    /** Logs the "up" line each time the node becomes able to carry traffic: an engine and a bound transport. */
    private void checkUp() {
        boolean up = current.engine != null && transports.anyBound();
        if (up && !announcedUp) {
            log.info("tunnelmesh up: interface=" + tun.name() + " address=" + joinPrefixes(settings.addresses())
                    + " transports=" + transports.describe() + " public-key=" + engineOptions.identity().publicKey());
        }
        announcedUp = up;
    }

    private static String joinPrefixes(List<IpPrefix> prefixes) {
        List<String> parts = new ArrayList<>();
        prefixes.forEach(p -> parts.add(p.toAddressString()));
        return parts.isEmpty() ? "(none)" : String.join(",", parts);
    }

    List<PeerStatus> peerStatus() {
        List<PeerStatus> out = new ArrayList<>();
        for (NodePeer p : current.peers) {
            out.add(p.status());
        }
        return out;
    }

    /**
     * One ping through the tunnel on the peer's current path; the timer thread seals and sends it.
     *
     * @return the pong, or null when none came within {@code timeoutNanos}
     */
    PingReply ping(NodeKey key, long timeoutNanos) throws InterruptedException {
        NodePeer peer = null;
        for (NodePeer p : current.peers) {
            if (p.key.equals(key)) {
                peer = p;
            }
        }
        if (peer == null) {
            throw new IllegalArgumentException("peer " + key + " is not known: `tm:peers` lists the peers");
        }
        if (peer.tunnel() == null) {
            throw new IllegalStateException("no handshake service: the node cannot reach peers now (see `tm:status`)");
        }
        PathProbes.PingWaiter waiter = new PathProbes.PingWaiter();
        peer.path().probes().operatorPing(waiter);
        peer.path().probeNow();
        path.wakeTimers();
        return waiter.await(timeoutNanos);
    }

    NodeStatus status(String keySource) {
        PeerSet set = current;
        Map<String, Long> dropCounts = new LinkedHashMap<>();
        String engineProblem;
        synchronized (lock) {
            engineProblem = engines.error();
            engines.addDrops(set.engine, dropCounts);
        }
        drops.addTo(dropCounts);
        long transportDrops = transports.transportDrops();
        if (transportDrops != 0) {
            dropCounts.put("TRANSPORT_DROPPED", transportDrops);
        }
        String state = "up";
        List<String> why = new ArrayList<>();
        if (set.engine == null) {
            state = "waiting";
            why.add(engineProblem != null ? engineProblem : "waiting for a handshake service (bundle tm-handshake and tm-cipher)");
        }
        if (!transports.anyBound()) {
            state = "waiting";
            List<String> errors = transports.errors();
            why.add(errors.isEmpty() ? "waiting for a transport (bundle tm-transport-udp, or another one's)" : String.join("; ", errors));
        }
        // what peers reach us at for a bare HOST:PORT, e.g. in the endpoints a coordinator client reports
        int port = transports.listenPort(EndpointSpec.UDP);
        return new NodeStatus(engineOptions.identity().publicKey(), keySource, tun.name(), settings.addresses(),
                port < 0 ? settings.listenPort() : port, transports.names(), dropCounts, state, String.join("; ", why));
    }

    long drops(NodeDrop reason) {
        return drops.get(reason);
    }

    @Override
    public void close() {
        path.stop();
        transports.closeAll();
        tun.close();
        path.join();
        synchronized (lock) {
            engines.closeAll(current.engine);
            for (NodePeer p : peers.all()) {
                p.attach(null);
            }
            current = PeerSet.EMPTY;
        }
    }
}
