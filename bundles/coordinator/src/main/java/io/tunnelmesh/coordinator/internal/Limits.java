package io.tunnelmesh.coordinator.internal;

import java.time.Duration;

/**
 * The bounds that keep hostile or broken clients from taking the coordinator down. Defaults suit 10,000
 * nodes; tests shrink the timeouts.
 *
 * @param maxConnections           all TCP connections at once
 * @param maxUnauthenticated       connections that have not finished the Noise handshake, in total
 * @param maxUnauthenticatedPerIp  the same, from one source address
 * @param handshakeTimeout         from accept until Noise message 1 has arrived
 * @param pingAfter                silence after which the coordinator pings
 * @param silenceLimit             silence after which it closes the connection
 * @param maxPendingBytes          queued, unsent message bytes (beyond one full map) after which a slow reader is cut off
 * @param batchDelay               how long changes are coalesced before one delta goes to everyone
 * @param concurrentMaps           full maps being sealed and written at once, coordinator-wide
 * @param presenceDelay            how long changes of the online flag alone are coalesced: in a reconnect storm
 *                                 every node coming online is a delta to everyone, so these go out less often
 */
public record Limits(int maxConnections, int maxUnauthenticated, int maxUnauthenticatedPerIp, Duration handshakeTimeout,
        Duration pingAfter, Duration silenceLimit, long maxPendingBytes, Duration batchDelay, int concurrentMaps, Duration presenceDelay) {
    public static Limits defaults() {
        return new Limits(50_000, 4_096, 512, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(90),
                8L << 20, Duration.ofMillis(50), 64, Duration.ofSeconds(1));
    }

    public Limits withHandshakeTimeout(Duration timeout) {
        return new Limits(maxConnections, maxUnauthenticated, maxUnauthenticatedPerIp, timeout, pingAfter, silenceLimit,
                maxPendingBytes, batchDelay, concurrentMaps, presenceDelay);
    }

    public Limits withUnauthenticated(int total, int perIp) {
        return new Limits(maxConnections, total, perIp, handshakeTimeout, pingAfter, silenceLimit, maxPendingBytes,
                batchDelay, concurrentMaps, presenceDelay);
    }

    public Limits withMaxPendingBytes(long bytes) {
        return new Limits(maxConnections, maxUnauthenticated, maxUnauthenticatedPerIp, handshakeTimeout, pingAfter,
                silenceLimit, bytes, batchDelay, concurrentMaps, presenceDelay);
    }

    public Limits withKeepalive(Duration ping, Duration silence) {
        return new Limits(maxConnections, maxUnauthenticated, maxUnauthenticatedPerIp, handshakeTimeout, ping, silence,
                maxPendingBytes, batchDelay, concurrentMaps, presenceDelay);
    }

    public Limits withPresenceDelay(Duration delay) {
        return new Limits(maxConnections, maxUnauthenticated, maxUnauthenticatedPerIp, handshakeTimeout, pingAfter,
                silenceLimit, maxPendingBytes, batchDelay, concurrentMaps, delay);
    }
}
