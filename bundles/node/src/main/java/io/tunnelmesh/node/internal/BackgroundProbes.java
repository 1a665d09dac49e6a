package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;

/**
 * What a timer turn ({@link PeerPath#maintain}) sends besides the watchdog's pings: a few pings for the round trip
 * of a path nobody measured, and probe rounds to every direct candidate while the path is not a confirmed direct
 * one. Guarded by the {@link PeerPath} that owns it.
 */
final class BackgroundProbes {
    private final PathHealth health;
    private final ProbeRounds rounds;

    BackgroundProbes(PathHealth health, ProbeRounds rounds) {
        this.health = health;
        this.rounds = rounds;
    }

    /**
     * A ping for the round trip of the current path when one is due.
     *
     * @return when the next ping is due; Long.MAX_VALUE when none is
     */
    long measure(Endpoint current, PeerCandidates candidates, long nowNanos, ProbeSender send) {
        // a path a handshake or roaming found, direct or relay: its round trip, for tm:peers (only in a mesh with
        // a relay, whose peers answer pings; a stock WireGuard peer would not)
        if (current == null || !health.confirmed() || health.rttNanos() >= 0 || !candidates.hasRelay()) {
            return Long.MAX_VALUE;
        }
        if (rounds.rttPingDue(nowNanos)) {
            send.ping(current);
            rounds.rttPingSent(nowNanos);
        }
        return rounds.nextRttPing();
    }

    /**
     * A probe round when one is due, while the path is a relay or an unconfirmed direct guess and the peer likely
     * has a session: a ping to every direct candidate and, on a relay, a call-me-maybe through it so the peer probes
     * us at the same moment (the hole punch). {@code peerCalled}: the peer sent a call-me-maybe since the last turn.
     *
     * @return when the next round is due; Long.MAX_VALUE when none is
     */
    long round(Endpoint current, PeerCandidates candidates, boolean peerCalled, long nowNanos, ProbeSender send) {
        if (peerCalled) {
            rounds.peerCalled(nowNanos);
        }
        boolean onDirect = current != null && !current.relayed() && health.confirmed();
        // probe rounds only in a mesh with a relay: there peers answer pings; without one the configured order holds
        if (onDirect || candidates.directCount() == 0 || !candidates.hasRelay() || !health.sessionLikely(nowNanos)) {
            return Long.MAX_VALUE;
        }
        if (rounds.roundDue(nowNanos)) {
            candidates.pingDirect(send);
            if (current != null && current.relayed()) {
                send.callMeMaybe(current);
            }
            rounds.roundSent(nowNanos);
        }
        return rounds.nextRound();
    }
}
