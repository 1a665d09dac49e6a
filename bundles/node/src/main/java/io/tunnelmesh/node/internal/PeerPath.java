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
    private volatile Endpoint current;
    /** The current path was heard from (an authenticated datagram from it) since it became the path. */
    private volatile boolean confirmed;
    /** Last authenticated datagram from the current path, from any source ({@link PathTimes#HEARD_RESOLUTION}). */
    private volatile long heardNanos;
    private volatile long heardAnyNanos;
    /** When data first went out on the current path with nothing heard since, or 0. */
    private volatile long unansweredSince;
    private volatile long rttNanos = -1;
    /** When the timer thread should next run {@link #maintain}; Long.MIN_VALUE: now. */
    private volatile long probeDue = Long.MIN_VALUE;
    /** No path, and a candidate (or the learned endpoint) waits for its transport to be bound. */
    private volatile boolean waitingForTransport;
    // guarded by this
    private Candidate[] candidates = NONE;
    /** The latest authenticated source and the binding it came through, or null. */
    private Endpoint learned;
    private TransportBinding learnedVia;
    /** A learned endpoint whose binding closed with no other of its transport bound: read again by the next one. */
    private EndpointSpec learnedWaiting;
    /** The direct path the watchdog gave up, and when (for "why relayed"); null when none. */
    private Endpoint lost;
    private long lostAt;
    /** Unanswered probe rounds since the path last changed or the peer called. */
    private int rounds;
    private long nextRound = Long.MIN_VALUE;
    private long lastRound;
    private long lastPingOfCurrent;

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
        probeDue = Long.MIN_VALUE;
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
        probeDue = Long.MIN_VALUE;
    }

    PathProbes probes() {
        return probes;
    }

    long rttNanos() {
        return rttNanos;
    }

    long probeDue() {
        return probeDue;
    }

    /** Has the timer thread look at this peer's probes at its next turn. */
    void probeNow() {
        probeDue = Long.MIN_VALUE;
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
            heardAny(nowNanos);
        }
        Endpoint c = current;
        if (source.equals(c)) {
            heard(nowNanos);
            return;
        }
        if (source.relayed() && c != null && !c.relayed() && nowNanos - heardNanos < PathTimes.DIRECT_LOST) {
            return;
        }
        synchronized (this) {
            moveTo(source, via);
            heard(nowNanos);
        }
    }

    /** An authenticated path message other than a pong (a ping, a call-me-maybe): never moves the path. */
    void controlFrom(Endpoint source, long nowNanos) {
        heardAny(nowNanos);
        if (source.equals(current)) {
            heard(nowNanos);
        }
    }

    /**
     * An authenticated pong from {@code source}, {@code rtt} after its ping: the first direct one takes the path
     * from a relay or an unconfirmed guess; another direct one only when clearly faster.
     */
    void pong(Endpoint source, TransportBinding via, long rtt, long nowNanos) {
        heardAny(nowNanos);
        if (source.equals(current)) {
            rttNanos = rtt;
            heard(nowNanos);
            return;
        }
        synchronized (this) {
            Endpoint c = current;
            boolean take = source.relayed()
                    ? c == null
                    : c == null || c.relayed() || !confirmed || rttNanos < 0 || rtt < PathTimes.FASTER_BY * rttNanos;
            if (take) {
                moveTo(source, via);
                rttNanos = rtt;
                heard(nowNanos);
            }
        }
    }

    /** Data went out on the current path (TUN reader, per packet: a volatile read, rarely a write). */
    void sending(long nowNanos) {
        if (unansweredSince == 0) {
            unansweredSince = nowNanos == 0 ? 1 : nowNanos;
            watchSoon(nowNanos);
        }
    }

    /**
     * Brings the watchdog's turn forward to when an unanswered send needs a ping. The TUN reader and the timer
     * thread each write their field, then read the other's (volatile both): one of them sees the other.
     */
    private void watchSoon(long since) {
        long due = since + PathTimes.PING_UNANSWERED;
        if (probeDue > due) {
            probeDue = due;
        }
    }

    private void heard(long nowNanos) {
        if (nowNanos - heardNanos > PathTimes.HEARD_RESOLUTION) {
            heardNanos = nowNanos;
        }
        if (!confirmed) {
            confirmed = true;
        }
        if (unansweredSince != 0) {
            unansweredSince = 0;
        }
    }

    private void heardAny(long nowNanos) {
        long last = heardAnyNanos;
        if (nowNanos - last > PathTimes.HEARD_RESOLUTION) {
            heardAnyNanos = nowNanos;
            if (last == 0 || nowNanos - last >= PathTimes.SESSION_LIKELY) {
                probeDue = Long.MIN_VALUE; // a session (again): the probes can start
            }
        }
    }

    private void moveTo(Endpoint source, TransportBinding via) {
        learned = source;
        learnedVia = via;
        learnedWaiting = null;
        if (!source.relayed()) {
            lost = null;
        }
        choose();
    }

    /** What {@link #maintain} sends; the timer thread seals it into the peer's session. */
    interface ProbeSender {
        void ping(Endpoint to);

        void callMeMaybe(Endpoint via);
    }

    /**
     * The timer thread's turn (when {@link #probeDue()} has come): the direct path's watchdog, and the
     * background probe rounds. {@code peerCalled}: the peer sent a call-me-maybe since the last turn.
     *
     * @return when the next turn is due
     */
    synchronized long maintain(long nowNanos, boolean peerCalled, ProbeSender send) {
        long next = nowNanos + PathTimes.SLOW_PROBE_INTERVAL;
        Endpoint relay = relayCandidate();
        Endpoint c = current;
        long since = unansweredSince;
        boolean watching = c != null && !c.relayed() && relay != null;
        if (watching && since != 0) {
            if (nowNanos - since >= PathTimes.DIRECT_LOST) {
                lost = c;
                lostAt = nowNanos;
                forgetLearned();
                choose();
                rounds = 0;
                nextRound = nowNanos;
            } else {
                if (nowNanos - since >= PathTimes.PING_UNANSWERED && nowNanos - lastPingOfCurrent >= PathTimes.PING_REPEAT) {
                    send.ping(c);
                    lastPingOfCurrent = nowNanos;
                }
                next = Math.min(next, Math.max(since + PathTimes.PING_UNANSWERED, lastPingOfCurrent + PathTimes.PING_REPEAT));
                next = Math.min(next, since + PathTimes.DIRECT_LOST);
            }
        }
        c = current;
        if (peerCalled && nowNanos - lastRound >= PathTimes.CALL_ME_MAYBE_MIN) {
            nextRound = nowNanos;
            rounds = 0;
        }
        boolean onDirect = c != null && !c.relayed() && confirmed;
        if (!onDirect && directCandidates() > 0 && nowNanos - heardAnyNanos < PathTimes.SESSION_LIKELY && heardAnyNanos != 0) {
            if (nowNanos >= nextRound) {
                for (Candidate k : candidates) {
                    if (k.usable() && !k.endpoint().relayed()) {
                        send.ping(k.endpoint());
                    }
                }
                if (c != null && c.relayed()) {
                    send.callMeMaybe(c);
                }
                rounds++;
                lastRound = nowNanos;
                nextRound = nowNanos + (rounds < PathTimes.FAST_ROUNDS ? PathTimes.PROBE_INTERVAL : PathTimes.SLOW_PROBE_INTERVAL);
            }
            next = Math.min(next, nextRound);
        }
        probeDue = next;
        long unanswered = unansweredSince;
        if (watching && since == 0 && unanswered != 0) {
            watchSoon(unanswered); // data went out while this turn ran
        }
        return probeDue;
    }

    /** While the path is a relay: why not direct, in words; else empty. */
    synchronized String whyRelayed(long nowNanos) {
        Endpoint c = current;
        if (c == null || !c.relayed()) {
            return "";
        }
        int direct = directCandidates();
        if (direct == 0) {
            return "no direct candidate";
        }
        String tried = direct + (direct == 1 ? " candidate" : " candidates");
        if (lost != null) {
            long ago = Math.max(0, (nowNanos - lostAt) / 1_000_000_000L);
            return "direct path lost " + ago + " s ago" + (rounds > 1 ? "; " + tried + " tried since, no answer" : "");
        }
        if (rounds == 0) {
            return tried + " not probed yet (no session)";
        }
        return tried + " tried, no answer";
    }

    private boolean onConfirmedDirect() {
        Endpoint c = current;
        return c != null && c == learned && !c.relayed() && confirmed;
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
            confirmed = false;
            rttNanos = -1;
            heardNanos = 0;
            unansweredSince = 0;
            lastPingOfCurrent = 0;
            rounds = 0;
            probeDue = Long.MIN_VALUE;
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
