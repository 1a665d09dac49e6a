package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.control.Bye;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.PeerDelta;
import io.tunnelmesh.control.PeerMap;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import io.tunnelmesh.control.Welcome;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * One {@code connect} session with the coordinator, on the link's thread: dial, hello, welcome, then {@code map} /
 * {@code delta} into the {@link PeerFeed}, answering pings, with the {@link LinkKeepalive} and the
 * {@link EndpointReports}, until the connection ends or {@code bye}.
 */
final class LinkSession {
    static final String NOT_A_MEMBER = "NOT_A_MEMBER";

    private final LinkSettings settings;
    private final KeySource keys;
    private final EndpointReports reports;
    private final PeerFeed peers;
    private final LinkState state;
    private final LinkTimings timings;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final ComponentLog log;
    private final BooleanSupplier stopped;
    private final CoordinatorDialer dialer;
    private final ControlCodec codec = new ControlCodec();
    private volatile ControlConnection connection;
    /** When the last session was established; null when it was not (link thread only). */
    private Instant connectedAt;

    LinkSession(LinkSettings settings, KeySource keys, EndpointReports reports, PeerFeed peers, LinkState state,
            LinkTimings timings, InstantSource clock, RandomGenerator random, ComponentLog log, BooleanSupplier stopped) {
        this.settings = settings;
        this.keys = keys;
        this.reports = reports;
        this.peers = peers;
        this.state = state;
        this.timings = timings;
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.stopped = stopped;
        this.dialer = new CoordinatorDialer(timings.connectTimeout());
    }

    /** One connection, until it ends; the {@link LinkState} says how (removed, not a member) when it ends without an error. */
    void run(String hostname) throws IOException, ControlProtocolException, KeySourceException {
        connectedAt = null;
        NodeIdentity identity = keys.identity();
        peers.self(identity.publicKey());
        EndpointsReport reported = reports.forHello();
        CoordinatorDialer.Dialed dialed = dialer.dial(settings.addresses());
        peers.relayVia(dialed.address());
        try (ControlConnection c = ControlConnection.open(dialed, identity.keyPair(), settings.coordinatorKey(),
                NodeHello.connect(identity, settings.name(), hostname, reported), codec, timings.handshakeTimeout())) {
            connection = c;
            state.address(c.address().toString());
            if (stopped.getAsBoolean() || !welcomed(c)) {
                return;
            }
            connectedAt = clock.instant();
            state.connected();
            log.info("connected to coordinator at " + c.address());
            reports.welcomed(c.welcome());
            exchange(c);
        } finally {
            connection = null;
        }
    }

    /** When the last session was established; null when it was not. */
    Instant connectedAt() {
        return connectedAt;
    }

    /** Closes the connection from another thread: a read in progress ends. */
    void abort() {
        ControlConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** @return whether the coordinator took us as a member; NOT_A_MEMBER empties the map, other refusals throw */
    private boolean welcomed(ControlConnection c) throws ControlProtocolException {
        Welcome welcome = c.welcome();
        if (welcome.error() == null && welcome.errorCode() == null) {
            return true;
        }
        if (NOT_A_MEMBER.equals(welcome.errorCode())) {
            if (!state.state().equals(LinkState.NOT_A_MEMBER)) {
                log.warn("coordinator at " + c.address() + " says this node is not a member (" + NOT_A_MEMBER + "): no peers from it;"
                        + " run 'tunnelmesh join TOKEN' to join again; asking again every " + timings.notMemberRetry().toMinutes() + " min");
            }
            state.notMember(welcome.error());
            peers.clear();
            return false;
        }
        throw new ControlProtocolException("coordinator at " + c.address() + " refused the connection: " + welcome.error()
                + (welcome.errorCode() == null ? "" : " (" + welcome.errorCode() + ")"));
    }

    /** Reads until the connection ends; returns normally after {@code bye} or when stopped. */
    private void exchange(ControlConnection c) throws IOException, ControlProtocolException {
        c.pollEvery(timings.tick());
        Instant now = clock.instant();
        LinkKeepalive keepalive = new LinkKeepalive(timings.pingAfter(), timings.silenceLimit(), random, now);
        reports.start(now);
        while (!stopped.getAsBoolean()) {
            long framesBefore = c.framesRead();
            ControlMessage message = c.poll();
            now = clock.instant();
            if (c.framesRead() != framesBefore) {
                keepalive.heard(now);
            }
            if (message != null && handle(c, message, now)) {
                return;
            }
            keepalive.check(c, now);
            reports.refresh(c, now);
            peers.flushCacheIfDue();
        }
    }

    /** @return true after {@code bye} */
    private boolean handle(ControlConnection c, ControlMessage message, Instant now) throws IOException {
        switch (message) {
            case PeerMap m -> {
                peers.replace(m.peers());
                state.updated(now, peers.size());
            }
            case PeerDelta d -> {
                peers.apply(d);
                state.updated(now, peers.size());
            }
            case Ping p -> c.send(new Pong(p.nonce()));
            case Bye b -> {
                removed(c, b);
                return true;
            }
            default -> {
                // pong, or a message only the coordinator receives: nothing to do
            }
        }
        return false;
    }

    private void removed(ControlConnection c, Bye bye) {
        peers.forget();
        log.warn("removed from the mesh by coordinator at " + c.address() + (bye.reason() == null ? "" : " (" + bye.reason() + ")")
                + ": dropped every coordinator peer; run 'tunnelmesh join TOKEN' with a new token to rejoin");
        state.removed(bye.reason());
    }
}
