package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.api.transport.TransportBinding;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one peer's datagrams go, and the path rule (NAT traversal):
 * <ul>
 * <li>the source of its latest authenticated datagram (it roams, as in WireGuard), else its first usable relay
 * candidate (relay first, so the first packet goes out at once), else its first usable candidate;</li>
 * <li>while the path is a relay or an unconfirmed direct guess, every direct candidate is probed in the
 * background ({@link #maintain}: sealed pings, {@link PathTimes#PROBE_INTERVAL} apart) and, on a relay, a
 * call-me-maybe goes through it so the peer probes us at the same moment (the hole punch); the first direct
 * candidate whose pong comes back takes the path, a later one only when clearly faster;</li>
 * <li>on a direct path, data sent with nothing heard back for {@link PathTimes#DIRECT_LOST} moves the path to
 * the relay; a relayed datagram does not move a direct path heard from more recently than that;</li>
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
    private static final Candidate[] NONE = new Candidate[0];

    private final NodeKey peer;
    private final PathProbes probes = new PathProbes();
    private final PathHealth health = new PathHealth();
    private volatile Endpoint current;
    /** No path, and a candidate (or the learned endpoint) waits for its transport to be bound. */
    private volatile boolean waitingForTransport;
    // guarded by this
    private Candidate[] candidates = NONE;
    /** The latest authenticated source and the binding it came through, or null. */
    private Endpoint learned;
    private TransportBinding learnedVia;
    /** A learned endpoint whose binding closed with no other of its transport bound: read again by the next one. */
    private EndpointSpec learnedWaiting;
    private final ProbeRounds rounds = new ProbeRounds();
    /** Handshake initiations sent on the current, unconfirmed path. */
    private int initiations;

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
            if (learned == null && current != null) {
                learned = current;
                learnedVia = resolver.transports().binding(current.transport());
            }
        }
        Candidate[] next = new Candidate[specs.size()];
        for (int i = 0; i < next.length; i++) {
            Candidate same = find(specs.get(i));
            next[i] = same != null && same.current(resolver.transports()) ? same : resolver.resolve(peer, specs.get(i));
        }
        if (!specs.isEmpty() && !specs.equals(specs()) && !(onConfirmedDirect() && hasRelay(next))) {
            forgetLearned();
        }
        candidates = next;
        choose();
        health.probeAt(Long.MIN_VALUE);
    }

    /** A transport was bound, replaced or closed: resolves again what its binding had made. */
    synchronized void transportsChanged(EndpointResolver resolver) {
        TransportBindings transports = resolver.transports();
        Candidate[] next = candidates.clone();
        int firstNewlyUsable = Integer.MAX_VALUE;
        for (int i = 0; i < next.length; i++) {
            if (!next[i].current(transports)) {
                Candidate again = resolver.resolve(peer, next[i].spec());
                if (again.usable() && !next[i].usable()) {
                    firstNewlyUsable = Math.min(firstNewlyUsable, i);
                }
                next[i] = again;
            }
        }
        candidates = next;
        if (learned != null && transports.binding(learned.transport()) != learnedVia) {
            EndpointSpec text = specOf(learned); // the endpoint went with its binding; its text waits for the next one
            forgetLearned();
            learnedWaiting = text;
        }
        if (learned == null && learnedWaiting != null) {
            TransportBindings.Active by = transports.active(learnedWaiting.transport());
            if (by != null) {
                Candidate again = resolver.resolve(peer, learnedWaiting);
                learnedWaiting = null;
                if (again.usable()) {
                    learned = again.endpoint();
                    learnedVia = by.binding();
                }
            }
        }
        if (learned != null && firstNewlyUsable < rank(learned.transport())) {
            forgetLearned(); // the peer prefers the transport that just appeared
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
     */
    void authenticatedFrom(Endpoint source, TransportBinding via, long nowNanos) {
        authenticatedFrom(source, via, nowNanos, true);
    }

    /**
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

    /**
     * Where else a handshake initiation goes: while the path is not confirmed, every second attempt (the
     * engine retries after 5 s) also goes to every other usable candidate. The peer answers the copy that
     * arrives first (it rejects the others as replays) to where it came from, and the answer sets the path: so
     * a relay that does not answer (down, unreachable) does not keep a peer from its direct candidates. The
     * attempts in between go to the current path alone, in case the copy that won cannot carry the answer back.
     */
    synchronized List<Endpoint> handshakeTargets() {
        Endpoint c = current;
        if (health.confirmed()) {
            initiations = 0;
            return List.of();
        }
        if (++initiations % 2 != 0 || candidates.length < 2) {
            return List.of();
        }
        List<Endpoint> out = new ArrayList<>(candidates.length);
        for (Candidate k : candidates) {
            if (k.usable() && !k.endpoint().equals(c)) {
                out.add(k.endpoint());
            }
        }
        return out;
    }

    /** Data went out on the current path (TUN reader, per packet: a volatile read, rarely a write). */
    void sending(long nowNanos) {
        health.sending(nowNanos);
    }

    private void moveTo(Endpoint source, TransportBinding via) {
        learned = source;
        learnedVia = via;
        learnedWaiting = null;
        if (!source.relayed()) {
            rounds.foundDirect();
        }
        choose();
    }

    /**
     * The timer thread's turn (when {@link #probeDue()} has come): the direct path's watchdog, and the
     * background probe rounds. {@code peerCalled}: the peer sent a call-me-maybe since the last turn.
     *
     * @return when the next turn is due
     */
    synchronized long maintain(long nowNanos, boolean peerCalled, ProbeSender send) {
        long next = nowNanos + PathTimes.SLOW_PROBE_INTERVAL;
        Endpoint c = current;
        long since = health.unansweredSince();
        boolean watching = c != null && !c.relayed() && relayCandidate() != null;
        if (watching && since != 0) {
            if (nowNanos - since >= PathTimes.DIRECT_LOST) {
                rounds.lost(c, nowNanos); // to the relay, and probing for the way back at once
                forgetLearned();
                choose();
            } else {
                if (rounds.pingCurrentDue(since, nowNanos)) {
                    send.ping(c);
                    rounds.pingedCurrent(nowNanos);
                }
                next = Math.min(next, rounds.watchDue(since));
            }
        }
        c = current;
        if (peerCalled) {
            rounds.peerCalled(nowNanos);
        }
        boolean onDirect = c != null && !c.relayed() && health.confirmed();
        // a path a handshake or roaming found, direct or relay: its round trip, for tm:peers (only in a mesh with
        // a relay, whose peers answer pings; a stock WireGuard peer would not)
        if (c != null && health.confirmed() && health.rttNanos() < 0 && relayCandidate() != null) {
            if (rounds.rttPingDue(nowNanos)) {
                send.ping(c);
                rounds.rttPingSent(nowNanos);
            }
            next = Math.min(next, rounds.nextRttPing());
        }
        // probe rounds only in a mesh with a relay: there peers answer pings; without one the configured order holds
        if (!onDirect && directCandidates() > 0 && relayCandidate() != null && health.sessionLikely(nowNanos)) {
            if (rounds.roundDue(nowNanos)) {
                for (Candidate k : candidates) {
                    if (k.usable() && !k.endpoint().relayed()) {
                        send.ping(k.endpoint());
                    }
                }
                if (c != null && c.relayed()) {
                    send.callMeMaybe(c);
                }
                rounds.roundSent(nowNanos);
            }
            next = Math.min(next, rounds.nextRound());
        }
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
        return rounds.whyRelayed(directCandidates(), nowNanos);
    }

    private boolean onConfirmedDirect() {
        Endpoint c = current;
        return c != null && c == learned && !c.relayed() && health.confirmed();
    }

    private static boolean hasRelay(Candidate[] list) {
        for (Candidate c : list) {
            if (c.usable() && c.endpoint().relayed()) {
                return true;
            }
        }
        return false;
    }

    private int directCandidates() {
        int n = 0;
        for (Candidate k : candidates) {
            if (k.usable() && !k.endpoint().relayed()) {
                n++;
            }
        }
        return n;
    }

    /** The first usable relayed candidate, or null. */
    private Endpoint relayCandidate() {
        for (Candidate k : candidates) {
            if (k.usable() && k.endpoint().relayed()) {
                return k.endpoint();
            }
        }
        return null;
    }

    synchronized List<CandidateStatus> status() {
        List<CandidateStatus> out = new ArrayList<>(candidates.length);
        for (Candidate c : candidates) {
            out.add(c.status());
        }
        return out;
    }

    private void choose() {
        Endpoint next = learned;
        boolean waiting = learnedWaiting != null;
        Endpoint firstUsable = null;
        Endpoint firstRelay = null;
        for (Candidate c : candidates) {
            if (c.usable()) {
                firstUsable = firstUsable == null ? c.endpoint() : firstUsable;
                firstRelay = firstRelay == null && c.endpoint().relayed() ? c.endpoint() : firstRelay;
            }
            waiting |= c.state() == CandidateStatus.State.WAITING;
        }
        if (next == null) {
            // relay first when there is one: it works at once, and the probes find a direct path after
            next = firstRelay != null ? firstRelay : firstUsable;
        }
        if (!java.util.Objects.equals(next, current)) {
            health.newPath();
            rounds.newPath();
            initiations = 0;
        }
        current = next;
        waitingForTransport = next == null && waiting;
    }

    private void forgetLearned() {
        learned = null;
        learnedVia = null;
        learnedWaiting = null;
    }

    /** Position of the first candidate of {@code transport}; after all of them when it has none. */
    private int rank(String transport) {
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i].spec().transport().equals(transport)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private List<EndpointSpec> specs() {
        List<EndpointSpec> specs = new ArrayList<>(candidates.length);
        for (Candidate c : candidates) {
            specs.add(c.spec());
        }
        return specs;
    }

    private Candidate find(EndpointSpec spec) {
        for (Candidate c : candidates) {
            if (c.spec().equals(spec)) {
                return c;
            }
        }
        return null;
    }

    /** The text form of an endpoint a transport made, to be read again by its next binding; null if unreadable. */
    private static EndpointSpec specOf(Endpoint endpoint) {
        try {
            return EndpointSpec.parse(endpoint.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
