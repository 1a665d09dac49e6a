package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running node's data plane: the TUN device, the engine, the peers and the transports, and the three
 * kinds of thread that move packets between them (see {@link TunReader}, {@link Ingress}, {@link HandshakeWorker},
 * {@link PeerTimers}). Control calls (peers, engine and transport changes) come from DS and shell threads,
 * serialise on one lock and publish a new {@link PeerSet}; the packet threads never lock.
 */
final class DataPlane implements AutoCloseable {
    /** A replaced engine stays open this long, so packets already inside it finish before its keys are wiped. */
    private static final long RETIRE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Retired(TunnelEngine engine, long closeAt) {
    }

    /** Replaced only by {@link #changeAddresses}; read by status calls. */
    private volatile NodeSettings settings;
    private final EngineOptions engineOptions;
    private final TunDevice tun;
    private final ComponentLog log;
    private final DropCounters drops = new DropCounters();
    private final TransportBindings transports;
    private final EndpointResolver resolver;
    private final Egress egress;
    private final Ingress ingress;
    private final TunReader reader;
    private final PeerTimers timers;
    private final HandshakeWorker handshakes;
    private final Object lock = new Object();
    private final PeerTable peers = new PeerTable();
    private final List<Retired> retired = new ArrayList<>();
    private final long[] engineDropsBefore = new long[DropReason.values().length];
    /** Replaced whole under {@link #lock}; the packet threads read it without locking. */
    private volatile PeerSet current = PeerSet.EMPTY;
    private HandshakeService handshakeService;
    private boolean hadEngine;
    private boolean announcedUp;
    private String engineError;
    private Thread readerThread;
    private Thread timerThread;
    private Thread handshakeThread;

    DataPlane(NodeSettings settings, EngineOptions engineOptions, TunDevice tun, ComponentLog log) {
        this.settings = settings;
        this.engineOptions = engineOptions;
        this.tun = tun;
        this.log = log;
        Faults faults = new Faults(log);
        this.transports = new TransportBindings(settings.listenPort(), log);
        this.resolver = new EndpointResolver(transports, log);
        this.egress = new Egress(transports, drops);
        this.reader = new TunReader(tun, this::peerSet, egress, drops, faults);
        this.timers = new PeerTimers(this::peerSet, egress, this::housekeeping, faults);
        HandshakeQueue queue = new HandshakeQueue();
        HandshakeLoad load = new HandshakeLoad();
        this.ingress = new Ingress(tun, this::peerSet, queue, load, timers::wake, drops, faults);
        this.handshakes = new HandshakeWorker(queue, load, this::peerSet, egress, drops, faults, log);
    }

    PeerSet peerSet() {
        return current;
    }

    void start() {
        transportsChanged(transports.open(ingress));
        readerThread = Thread.ofPlatform().name("tm-tun-reader-" + tun.name()).daemon().start(reader);
        timerThread = Thread.ofPlatform().name("tm-peer-timers-" + tun.name()).daemon().start(timers);
        handshakeThread = Thread.ofPlatform().name("tm-handshakes-" + tun.name()).daemon().start(handshakes);
    }

    /** Replaces the engine (null: none); peers move to the new one and handshake again at once. */
    void useHandshakeService(HandshakeService service) {
        synchronized (lock) {
            if (service == handshakeService) {
                return;
            }
            handshakeService = service;
            TunnelEngine next = null;
            engineError = null;
            if (service != null) {
                try {
                    next = service.newEngine(engineOptions);
                } catch (RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
                    engineError = "handshake service could not create an engine: " + e.getMessage();
                    log.error(engineError);
                }
            }
            TunnelEngine previous = current.engine;
            for (NodePeer p : peers.all()) {
                p.attach(next == null ? null : next.addPeer(p.key, p.config().persistentKeepaliveSeconds()));
                if (next != null && hadEngine && p.endpoint() != null) {
                    p.tunnel().requestHandshake();
                }
            }
            publish(next);
            if (previous != null) {
                for (DropReason r : DropReason.values()) {
                    engineDropsBefore[r.ordinal()] += previous.drops(r);
                }
                retired.add(new Retired(previous, System.nanoTime() + RETIRE_GRACE_NANOS));
                log.info(next == null ? "handshake engine stopped: waiting for a handshake service"
                        : "handshake engine replaced: peers handshake again");
            }
            hadEngine |= next != null;
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
        timers.wake();
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
            long now = System.nanoTime();
            retired.removeIf(r -> {
                if (now - r.closeAt < 0) {
                    return false;
                }
                closeQuietly(r.engine);
                return true;
            });
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

    NodeStatus status(String keySource) {
        PeerSet set = current;
        Map<String, Long> dropCounts = new LinkedHashMap<>();
        String engineProblem;
        synchronized (lock) {
            engineProblem = engineError;
            for (DropReason r : DropReason.values()) {
                long n = engineDropsBefore[r.ordinal()] + (set.engine == null ? 0 : set.engine.drops(r));
                if (n != 0) {
                    dropCounts.put(r.name(), n);
                }
            }
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
        reader.stop();
        timers.stop();
        handshakes.stop();
        transports.closeAll();
        tun.close();
        join(readerThread);
        join(timerThread);
        join(handshakeThread);
        synchronized (lock) {
            for (Retired r : retired) {
                closeQuietly(r.engine);
            }
            retired.clear();
            if (current.engine != null) {
                closeQuietly(current.engine);
            }
            for (NodePeer p : peers.all()) {
                p.attach(null);
            }
            current = PeerSet.EMPTY;
        }
    }

    /** An engine of a stopped or replaced bundle may fail to close; its keys die with it anyway. */
    private void closeQuietly(TunnelEngine engine) {
        try {
            engine.close();
        } catch (RuntimeException | LinkageError e) {
            log.warn("closing a replaced handshake engine failed: " + e);
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
