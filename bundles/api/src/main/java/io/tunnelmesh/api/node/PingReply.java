package io.tunnelmesh.api.node;

import io.tunnelmesh.api.Endpoint;

/**
 * A peer's answer to a ping sent through the tunnel ({@link MeshNode#ping}).
 *
 * @param via       the path the answer came back on (its {@link Endpoint#relayed()} says direct or relay)
 * @param rttNanos  round-trip time
 */
public record PingReply(Endpoint via, long rttNanos) {
}
