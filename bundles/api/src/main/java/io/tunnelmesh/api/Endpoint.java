package io.tunnelmesh.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a peer is reached, as the transport that carries it understands it (wireguard-go's {@code conn.Endpoint}):
 * made by {@link io.tunnelmesh.api.transport.Transport#parseEndpoint} from an {@link EndpointSpec}, or by a
 * binding for the source of a datagram it received. The node and the engine never look inside: they compare
 * endpoints, show them and hand them back to the transport of the same name.
 *
 * <p>An implementation is an immutable value: {@code equals} and {@code hashCode} compare the transport's own
 * address (and never allocate, they run per packet), and {@code toString} is the canonical text
 * {@code TRANSPORT:ADDRESS}, e.g. {@code udp:[fd00::2]:51820} or {@code udp:192.0.2.1:51820}, such that
 * {@code parseEndpoint} of its {@code ADDRESS} gives an equal endpoint back.
 */
@ConsumerType
public interface Endpoint {
    /** The {@code transport.name} of the transport that made it and carries datagrams to it. */
    String transport();

    /**
     * What a handshake cookie (WireGuard's mac2) is bound to: the full source of a datagram. For UDP the address
     * bytes followed by the port, big-endian ({@link SocketEndpoint}). A new array; called only on the handshake path.
     */
    byte[] dstToBytes();

    /**
     * The remote host alone, without the port or whatever else a host can vary: handshake rate limits count per
     * host. For UDP the address bytes (4 or 16; the engine groups IPv6 by /64). A new array.
     */
    byte[] dstHostBytes();

    /**
     * Whether datagrams to it pass through a relay server rather than straight to the peer. The node prefers a
     * direct endpoint that answers its probes and falls back to a relayed one; {@code tm:peers} says which.
     */
    default boolean relayed() {
        return false;
    }

    /** The canonical text, with the transport's name as prefix. */
    @Override
    String toString();
}
