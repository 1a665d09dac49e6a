package io.tunnelmesh.api;

import java.util.List;

/**
 * What an operator (or a coordinator) says about one peer, like a {@code [Peer]} section of a WireGuard
 * config.
 *
 * @param publicKey                   the peer's static public key
 * @param endpoint                    where to send to first; {@code null} until the peer contacts us
 * @param allowedIps                  prefixes the peer may send from and that are routed to it
 * @param persistentKeepaliveSeconds  0 = off, otherwise 1-65535
 * @param name                        what operators call the peer (a coordinator's node name), or empty
 */
public record PeerConfig(NodeKey publicKey, Endpoint endpoint, List<IpPrefix> allowedIps, int persistentKeepaliveSeconds,
        String name) {
    /** A peer without a name, as {@code wg set} configures one. */
    public PeerConfig(NodeKey publicKey, Endpoint endpoint, List<IpPrefix> allowedIps, int persistentKeepaliveSeconds) {
        this(publicKey, endpoint, allowedIps, persistentKeepaliveSeconds, "");
    }

    public PeerConfig {
        name = name == null ? "" : name;
        if (publicKey == null) {
            throw new IllegalArgumentException("peer needs a public key");
        }
        allowedIps = List.copyOf(allowedIps == null ? List.of() : allowedIps);
        if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
            throw new IllegalArgumentException("persistent keepalive " + persistentKeepaliveSeconds
                    + " is out of range: use 0 (off) or 1-65535 seconds");
        }
    }
}
