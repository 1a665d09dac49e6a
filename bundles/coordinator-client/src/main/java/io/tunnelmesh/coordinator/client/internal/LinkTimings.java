package io.tunnelmesh.coordinator.client.internal;

import java.time.Duration;

/**
 * The link's clock settings; {@link #DEFAULT} is what docs/COORDINATOR.md fixes (ping after 30 s of silence,
 * close after 90 s) and what the issue asks of reconnects. Tests pass shorter ones.
 *
 * @param tick            how often the link's thread wakes up when nothing arrives
 * @param stableSession   a session that lasted longer resets the backoff
 * @param notMemberRetry  how often to ask again after NOT_A_MEMBER
 * @param cacheInterval   at most one write of the peer cache per interval
 * @param backoffFloor    the smallest reconnect cap, whatever the mesh's size (see {@link Backoff#capFor})
 */
record LinkTimings(Duration connectTimeout, Duration handshakeTimeout, Duration tick, Duration pingAfter,
        Duration silenceLimit, Duration endpointCheck, Duration backoffBase, Duration backoffMax, Duration stableSession,
        Duration notMemberRetry, Duration cacheInterval, Duration backoffFloor) {
    static final LinkTimings DEFAULT = new LinkTimings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofSeconds(30), Duration.ofSeconds(90), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(8));
}
