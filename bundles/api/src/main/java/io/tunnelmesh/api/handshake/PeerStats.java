package io.tunnelmesh.api.handshake;

import java.time.Instant;

/**
 * A snapshot of one peer's protocol counters, as {@code wg show} reports them.
 *
 * @param latestHandshake      wall time of the latest completed handshake, or null
 * @param rxBytes              authenticated bytes received (transport data, as WireGuard counts them)
 * @param txBytes              bytes sent
 * @param handshakesCompleted  completed handshakes, either side initiating
 * @param lastError            the latest drop reason attributed to this peer, or null
 */
public record PeerStats(Instant latestHandshake, long rxBytes, long txBytes, long handshakesCompleted, DropReason lastError) {
}
