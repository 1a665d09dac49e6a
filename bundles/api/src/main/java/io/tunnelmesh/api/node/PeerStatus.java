package io.tunnelmesh.api.node;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import java.time.Instant;
import java.util.List;

/**
 * One peer as {@code wg show} would print it, with the name its source gave it (or empty).
 *
 * @param endpoint   the current path: where datagrams to the peer go now, or null when there is none
 * @param candidates the configured endpoints in order of preference, and whether each can be used
 * @param rttNanos   round-trip time of the current path measured by the node's path probes, or -1 when unknown
 * @param whyRelayed while the path is a relay ({@link Endpoint#relayed()}), why not direct in words (e.g.
 *                   "3 candidates tried, no answer"); else empty
 */
public record PeerStatus(NodeKey publicKey, Endpoint endpoint, List<CandidateStatus> candidates, List<IpPrefix> allowedIps,
        Instant latestHandshake, long rxBytes, long txBytes, int persistentKeepaliveSeconds, String lastError, String name,
        long rttNanos, String whyRelayed) {
    public PeerStatus {
        name = name == null ? "" : name;
        candidates = List.copyOf(candidates == null ? List.of() : candidates);
        whyRelayed = whyRelayed == null ? "" : whyRelayed;
    }

    /** A peer without path measurements (RTT unknown, no relay reason). */
    public PeerStatus(NodeKey publicKey, Endpoint endpoint, List<CandidateStatus> candidates, List<IpPrefix> allowedIps,
            Instant latestHandshake, long rxBytes, long txBytes, int persistentKeepaliveSeconds, String lastError, String name) {
        this(publicKey, endpoint, candidates, allowedIps, latestHandshake, rxBytes, txBytes, persistentKeepaliveSeconds,
                lastError, name, -1, "");
    }
}
