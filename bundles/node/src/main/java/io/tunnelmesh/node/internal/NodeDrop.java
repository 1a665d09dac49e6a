package io.tunnelmesh.node.internal;

/**
 * Drops the node counts itself, beside the engine's {@link io.tunnelmesh.api.handshake.DropReason}s. The
 * names appear in {@code tm:status} as they are written here.
 */
enum NodeDrop {
    /** No peer's allowed IPs contain the destination of a packet read from the TUN device. */
    NO_ROUTE,
    /** A decrypted packet's source address is not routed to the peer that sent it. */
    NOT_ALLOWED_SOURCE,
    /** A TUN packet that is not IPv4/IPv6, or a decrypted packet whose header length is wrong. */
    MALFORMED_PACKET,
    /** No handshake service is bound, so no engine can seal or open anything. */
    NO_HANDSHAKE_SERVICE,
    /** The peer has no endpoint yet (it has to contact us first). */
    NO_ENDPOINT,
    /** The transport the peer's endpoint names is not bound (an endpoint of it waits for one). */
    NO_TRANSPORT,
    /** The transport refused the datagram (queue full, closing). */
    TRANSPORT_REJECTED,
    /** A handshake message arrived while the handshake queue was full (a flood); dropped where it arrived. */
    HANDSHAKE_QUEUE_FULL,
    /** Under load, a handshake message from a host that sent more than its share (a flood); dropped on arrival. */
    HANDSHAKE_RATE_LIMITED,
    /** Writing a decrypted packet to the TUN device failed. */
    TUN_WRITE_FAILED,
    /** An engine or transport threw; the packet was dropped and the thread went on. */
    INTERNAL_ERROR
}
