package io.tunnelmesh.api;

import java.util.List;

/**
 * What an operator (or a coordinator) says about one peer, like a {@code [Peer]} section of a WireGuard
 * config.
 *
 * @param publicKey                   the peer's static public key
 * @param endpoints                   where the peer may be reached, in order of preference, possibly over
 *                                    different transports; empty until the peer contacts us
 * @param allowedIps                  prefixes the peer may send from and that are routed to it
 * @param persistentKeepaliveSeconds  0 = off, otherwise 1-65535
 * @param name                        what operators call the peer (a coordinator's node name), or empty
 */
public record PeerConfig(NodeKey publicKey, List<EndpointSpec> endpoints, List<IpPrefix> allowedIps,
        int persistentKeepaliveSeconds, String name) {
    /** A peer without a name, as {@code wg set} configures one. */
    public PeerConfig(NodeKey publicKey, List<EndpointSpec> endpoints, List<IpPrefix> allowedIps, int persistentKeepaliveSeconds) {
        this(publicKey, endpoints, allowedIps, persistentKeepaliveSeconds, "");
    }

    public PeerConfig {
        name = name == null ? "" : name;
        if (publicKey == null) {
            throw new IllegalArgumentException("peer needs a public key");
        }
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
        allowedIps = List.copyOf(allowedIps == null ? List.of() : allowedIps);
        if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
            throw new IllegalArgumentException("persistent keepalive " + persistentKeepaliveSeconds
                    + " is out of range: use 0 (off) or 1-65535 seconds");
        }
    }
}
