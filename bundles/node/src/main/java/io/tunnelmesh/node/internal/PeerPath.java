package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.api.transport.TransportBinding;
import java.util.List;
import java.util.Objects;

/**
 * Where one peer's datagrams go, and the path rule (NAT traversal):
 * <ul>
 * <li>the source of its latest authenticated datagram ({@link LearnedEndpoint}: it roams, as in WireGuard), else its
 * first usable relay candidate (relay first, so the first packet goes out at once), else its first usable candidate
 * ({@link PeerCandidates});</li>
 * <li>while the path is a relay or an unconfirmed direct guess, every direct candidate is probed in the
 * background ({@link #maintain}, {@link BackgroundProbes}: sealed pings, {@link PathTimes#PROBE_INTERVAL} apart)
 * and, on a relay, a call-me-maybe goes through it so the peer probes us at the same moment (the hole punch); the
 * first direct candidate whose pong comes back takes the path, a later one only when clearly faster;</li>
 * <li>on a direct path, data sent with nothing heard back for {@link PathTimes#DIRECT_LOST} moves the path to
 * the relay ({@link DirectWatchdog}); a relayed datagram does not move a direct path heard from more recently than
 * that;</li>
 * <li>only authenticated datagrams (a data message, a handshake, a probe, all checked by the engine) move it.</li>
 * </ul>
 * A transport that appears for a candidate ahead of the current path's transport in the peer's list takes the
 * path over.
 *
 * <p>The packet threads read {@link #current()} per packet and call {@link #authenticatedFrom} and
 * {@link #sending} per datagram, which only lock when the peer really moved; probes are sealed and sent by the
 * timer thread ({@link PathProber}); everything else runs on the control threads.
 */
final class PeerPath {
    private final NodeKey peer;
    private final PathProbes probes = new PathProbes();
    private final PathHealth health = new PathHealth();
    private volatile Endpoint current;
    /** No path, and a candidate (or the learned endpoint) waits for its transport to be bound. */
    private volatile boolean waitingForTransport;
    // guarded by this
    private PeerCandidates candidates = PeerCandidates.NONE;
    private final LearnedEndpoint learned = new LearnedEndpoint();
    private final ProbeRounds rounds = new ProbeRounds();
    private final DirectWatchdog watchdog = new DirectWatchdog(rounds);
    private final BackgroundProbes background = new BackgroundProbes(health, rounds);
    private final InitiationCopies initiations = new InitiationCopies();

    PeerPath(NodeKey peer) {
        this.peer = peer;
    }

    /** Where to send now, or null. Hot path. */
    Endpoint current() {
        return current;
    }

    boolean waitingForTransport() {
        return waitingForTransport;
    }

    /**
     * The peer's configured candidates are now {@code specs}. New ones send the peer there (the operator says
     * where it is); the same ones keep a roamed peer where it is; none keeps it where it is now, as
     * {@code wg set} without an endpoint does. New ones with a relay among them (a coordinator's map: the peer
     * reported new addresses) keep a working direct path: the watchdog leaves it if it stops answering.
     */
    synchronized void configure(List<EndpointSpec> specs, EndpointResolver resolver) {
        if (specs.isEmpty()) {
            learned.keepIfNone(current, resolver.transports());
        }
        PeerCandidates next = candidates.configured(peer, specs, resolver);
        if (!specs.isEmpty() && !candidates.hasSpecs(specs) && !(onConfirmedDirect() && next.hasRelay())) {
            learned.forget();
        }
        candidates = next;
        choose();
        health.probeAt(Long.MIN_VALUE);
    }

    /** A transport was bound, replaced or closed: resolves again what its binding had made. */
    synchronized void transportsChanged(EndpointResolver resolver) {
        PeerCandidates before = candidates;
        candidates = before.resolvedAgain(peer, resolver);
        learned.transportsChanged(peer, resolver);
        Endpoint roamed = learned.endpoint();
        if (roamed != null && candidates.firstNewlyUsable(before) < candidates.rank(roamed.transport())) {
            learned.forget(); // the peer prefers the transport that just appeared
        }
        choose();
        health.probeAt(Long.MIN_VALUE);
    }

    PathProbes probes() {
        return probes;
    }

    long rttNanos() {
        return health.rttNanos();
    }

    long probeDue() {
        return health.probeDue();
    }

    /** Has the timer thread look at this peer's probes at its next turn. */
    void probeNow() {
        health.probeAt(Long.MIN_VALUE);
    }

    /**
     * Roaming: called only after the engine authenticated a data or handshake datagram from {@code source}.
     * Takes no lock and allocates nothing unless the peer moved. A relayed datagram leaves a direct path that
     * was heard from lately where it is: the peer may still be on the relay while we already went direct.
     *
     * @param canSend whether the peer's session can carry our data now: not yet after we only answered its
     *                initiation (a responder waits for the initiator's first data), when a probe would only be
     *                queued by the engine and later leave on the current path
     */
    void authenticatedFrom(Endpoint source, TransportBinding via, long nowNanos, boolean canSend) {
        if (canSend) {
            health.heardAny(nowNanos);
        }
        Endpoint c = current;
        if (source.equals(c)) {
            health.heard(nowNanos);
            return;
        }
        if (source.relayed() && c != null && !c.relayed() && health.heardWithin(PathTimes.DIRECT_LOST, nowNanos)) {
            return;
        }
        synchronized (this) {
            moveTo(source, via);
            health.heard(nowNanos);
        }
    }

    /** An authenticated path message other than a pong (a ping, a call-me-maybe): never moves the path. */
    void controlFrom(Endpoint source, long nowNanos) {
        health.heardAny(nowNanos);
        if (source.equals(current)) {
            health.heard(nowNanos);
        }
    }

    /**
     * An authenticated pong from {@code source}, {@code rtt} after its ping: the first direct one takes the path
     * from a relay or an unconfirmed guess; another direct one only when clearly faster.
     */
    void pong(Endpoint source, TransportBinding via, long rtt, long nowNanos) {
        health.heardAny(nowNanos);
        if (source.equals(current)) {
            health.rtt(rtt);
            health.heard(nowNanos);
            return;
        }
        synchronized (this) {
            Endpoint c = current;
            long known = health.rttNanos();
            boolean take = source.relayed()
                    ? c == null
                    : c == null || c.relayed() || !health.confirmed() || known < 0 || rtt < PathTimes.FASTER_BY * known;
            if (take) {
                moveTo(source, via);
                health.rtt(rtt);
                health.heard(nowNanos);
            }
        }
    }

    /** Where else a handshake initiation goes ({@link InitiationCopies}). */
    synchronized List<Endpoint> handshakeTargets() {
        return initiations.targets(current, health.confirmed(), candidates);
    }

    /** Data went out on the current path (TUN reader, per packet: a volatile read, rarely a write). */
    void sending(long nowNanos) {
        health.sending(nowNanos);
    }

    private void moveTo(Endpoint source, TransportBinding via) {
        learned.set(source, via);
        if (!source.relayed()) {
            rounds.foundDirect();
        }
        choose();
    }

    /**
     * The timer thread's turn (when {@link #probeDue()} has come): the direct path's watchdog, and the
     * background probes. {@code peerCalled}: the peer sent a call-me-maybe since the last turn.
     *
     * @return when the next turn is due
     */
    synchronized long maintain(long nowNanos, boolean peerCalled, ProbeSender send) {
        long next = nowNanos + PathTimes.SLOW_PROBE_INTERVAL;
        Endpoint c = current;
        long since = health.unansweredSince();
        boolean watching = DirectWatchdog.watches(c, candidates);
        if (watching && since != 0) {
            if (watchdog.lost(since, nowNanos)) {
                watchdog.giveUp(c, nowNanos); // to the relay, and probing for the way back at once
                learned.forget();
                choose();
            } else {
                next = Math.min(next, watchdog.ping(c, since, nowNanos, send));
            }
        }
        c = current;
        next = Math.min(next, background.measure(c, candidates, nowNanos, send));
        next = Math.min(next, background.round(c, candidates, peerCalled, nowNanos, send));
        health.probeAt(next);
        long unanswered = health.unansweredSince();
        if (watching && since == 0 && unanswered != 0) {
            health.watchSoon(unanswered); // data went out while this turn ran
        }
        return health.probeDue();
    }

    /** While the path is a relay: why not direct, in words; else empty. */
    synchronized String whyRelayed(long nowNanos) {
        Endpoint c = current;
        if (c == null || !c.relayed()) {
            return "";
        }
        return rounds.whyRelayed(candidates.directCount(), nowNanos);
    }

    private boolean onConfirmedDirect() {
        Endpoint c = current;
        return c != null && c == learned.endpoint() && !c.relayed() && health.confirmed();
    }

    synchronized List<CandidateStatus> status() {
        return candidates.status();
    }

    private void choose() {
        Endpoint next = learned.endpoint();
        if (next == null) {
            next = candidates.preferred();
        }
        if (!Objects.equals(next, current)) {
            health.newPath();
            rounds.newPath();
            initiations.newPath();
        }
        current = next;
        waitingForTransport = next == null && (learned.waiting() || candidates.anyWaiting());
    }
}
