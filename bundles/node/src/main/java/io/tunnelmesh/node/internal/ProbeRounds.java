package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;

/**
 * The pace of one peer's probes, and what they found, for {@code why relayed}: rounds to the direct candidates
 * ({@link PathTimes#FAST_ROUNDS} of them {@link PathTimes#PROBE_INTERVAL} apart, then
 * {@link PathTimes#SLOW_PROBE_INTERVAL}), the watchdog's pings of the current path, and the direct path it gave up.
 * Guarded by the {@link PeerPath} that owns it.
 */
final class ProbeRounds {
    private static final int RTT_PINGS = 3;

    private int rounds;
    private long nextRound = Long.MIN_VALUE;
    private long lastRound;
    private long lastPingOfCurrent;
    /** Pings sent to measure the round trip of a path nobody measured yet (a stock WireGuard peer never answers). */
    private int rttPings;
    /** The direct path the watchdog gave up, and when; null when none (or a direct path was found since). */
    private Endpoint lost;
    private long lostAt;

    /** The path changed: its watchdog starts afresh and so do the rounds (at their current pace). */
    void newPath() {
        rounds = 0;
        lastPingOfCurrent = 0;
        rttPings = 0;
    }

    /** Whether a path with no round trip known yet gets a ping for one now (a few, {@link PathTimes#PROBE_INTERVAL} apart). */
    boolean rttPingDue(long nowNanos) {
        return rttPings < RTT_PINGS && (rttPings == 0 || nowNanos - lastPingOfCurrent >= PathTimes.PROBE_INTERVAL);
    }

    void rttPingSent(long nowNanos) {
        rttPings++;
        lastPingOfCurrent = nowNanos;
    }

    /** When the next such ping is due; Long.MAX_VALUE after the last. */
    long nextRttPing() {
        return rttPings < RTT_PINGS ? lastPingOfCurrent + PathTimes.PROBE_INTERVAL : Long.MAX_VALUE;
    }

    /** Probe at once, fast again. */
    void restart(long nowNanos) {
        rounds = 0;
        nextRound = nowNanos;
    }

    /** The peer asked for a round (call-me-maybe): at once, unless one just went. */
    void peerCalled(long nowNanos) {
        if (nowNanos - lastRound >= PathTimes.CALL_ME_MAYBE_MIN) {
            restart(nowNanos);
        }
    }

    boolean roundDue(long nowNanos) {
        return nowNanos >= nextRound;
    }

    void roundSent(long nowNanos) {
        rounds++;
        lastRound = nowNanos;
        nextRound = nowNanos + (rounds < PathTimes.FAST_ROUNDS ? PathTimes.PROBE_INTERVAL : PathTimes.SLOW_PROBE_INTERVAL);
    }

    long nextRound() {
        return nextRound;
    }

    /** Whether the current path, silent since {@code since}, gets a ping now. */
    boolean pingCurrentDue(long since, long nowNanos) {
        return nowNanos - since >= PathTimes.PING_UNANSWERED && nowNanos - lastPingOfCurrent >= PathTimes.PING_REPEAT;
    }

    void pingedCurrent(long nowNanos) {
        lastPingOfCurrent = nowNanos;
    }

    /** When the watchdog of a path silent since {@code since} next has something to do. */
    long watchDue(long since) {
        return Math.min(Math.max(since + PathTimes.PING_UNANSWERED, lastPingOfCurrent + PathTimes.PING_REPEAT),
                since + PathTimes.DIRECT_LOST);
    }

    void lost(Endpoint direct, long nowNanos) {
        lost = direct;
        lostAt = nowNanos;
        restart(nowNanos);
    }

    void foundDirect() {
        lost = null;
    }

    /** Why the path is a relay, in words, given how many direct candidates there are. */
    String whyRelayed(int directCandidates, long nowNanos) {
        if (directCandidates == 0) {
            return "no direct candidate";
        }
        String tried = directCandidates + (directCandidates == 1 ? " candidate" : " candidates");
        if (lost != null) {
            long ago = Math.max(0, (nowNanos - lostAt) / 1_000_000_000L);
            return "direct path lost " + ago + " s ago" + (rounds > 1 ? "; " + tried + " tried since, no answer" : "");
        }
        if (rounds == 0) {
            return tried + " not probed yet (no session)";
        }
        return tried + " tried, no answer";
    }
}
