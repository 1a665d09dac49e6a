package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;

/**
 * The watchdog of a direct path that has a relay to fall back to: data sent on it with nothing heard back for
 * {@link PathTimes#PING_UNANSWERED} gets it a ping every {@link PathTimes#PING_REPEAT}; after
 * {@link PathTimes#DIRECT_LOST} it is lost and the relay takes over. A path without a relay candidate is never given
 * up. Runs in the timer thread's turn ({@link PeerPath#maintain}), guarded by the {@link PeerPath} that owns it.
 */
final class DirectWatchdog {
    private final ProbeRounds rounds;

    DirectWatchdog(ProbeRounds rounds) {
        this.rounds = rounds;
    }

    /** Whether {@code current} is watched: a direct path with a relay to fall back to. */
    static boolean watches(Endpoint current, PeerCandidates candidates) {
        return current != null && !current.relayed() && candidates.hasRelay();
    }

    /** Whether the path, silent since {@code since}, is lost. */
    boolean lost(long since, long nowNanos) {
        return nowNanos - since >= PathTimes.DIRECT_LOST;
    }

    /** The path {@code direct} is given up: the caller moves to the relay, and probing for the way back starts at once. */
    void giveUp(Endpoint direct, long nowNanos) {
        rounds.lost(direct, nowNanos);
    }

    /** Pings {@code current}, silent since {@code since}, when due; returns when the watchdog next has something to do. */
    long ping(Endpoint current, long since, long nowNanos, ProbeSender send) {
        if (rounds.pingCurrentDue(since, nowNanos)) {
            send.ping(current);
            rounds.pingedCurrent(nowNanos);
        }
        return rounds.watchDue(since);
    }
}
