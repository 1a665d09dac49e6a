package io.tunnelmesh.api.node;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import java.time.Instant;
import java.util.List;

/** One peer as {@code wg show} would print it, with the name its source gave it (or empty). */
public record PeerStatus(NodeKey publicKey, Endpoint endpoint, List<IpPrefix> allowedIps, Instant latestHandshake,
        long rxBytes, long txBytes, int persistentKeepaliveSeconds, String lastError, String name) {
    public PeerStatus {
        name = name == null ? "" : name;
    }
}
