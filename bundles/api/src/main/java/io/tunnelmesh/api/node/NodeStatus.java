package io.tunnelmesh.api.node;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import java.util.List;
import java.util.Map;

/**
 * @param publicKey     this node's public key (null while no identity is available)
 * @param keySource     where the identity comes from, e.g. {@code file ~/.ssh/id_ed25519}
 * @param interfaceName TUN interface, or null while it is not open
 * @param addresses     the interface's mesh addresses
 * @param listenPort    the port of the udp transport's binding (what peers reach us at), else the configured one
 * @param transports    names of the transports bound
 * @param drops         dropped packets by reason (only non-zero counts)
 * @param state         one word: {@code up}, {@code waiting} (for a service), {@code error}
 * @param detail        why the node is not up, or empty
 */
public record NodeStatus(NodeKey publicKey, String keySource, String interfaceName, List<IpPrefix> addresses,
        int listenPort, List<String> transports, Map<String, Long> drops, String state, String detail) {
}
