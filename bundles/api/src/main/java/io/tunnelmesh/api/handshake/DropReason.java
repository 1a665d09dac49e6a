package io.tunnelmesh.api.handshake;

/** Why a datagram or packet was dropped. Counted per engine and shown by {@code tm:status}. */
public enum DropReason {
    /** Too short, wrong length for its type, or non-zero reserved bytes. */
    MALFORMED,
    /** First byte is not a WireGuard message type. */
    UNKNOWN_TYPE,
    /** mac1 does not match our public key. */
    BAD_MAC1,
    /** Under load without a valid mac2: a cookie reply was sent instead. */
    COOKIE_REQUIRED,
    /** The source exceeded its handshake rate while we are under load. */
    RATE_LIMITED,
    /** A handshake initiation decrypted to a static key that is not a configured peer. */
    UNKNOWN_PEER,
    /** Handshake payload failed to authenticate (e.g. another mesh's pre-shared key at message 2). */
    HANDSHAKE_FAILED,
    /** Initiation timestamp not newer than the last one accepted from that peer (replay). */
    REPLAYED_HANDSHAKE,
    /** A second initiation from one peer within 20 ms. */
    HANDSHAKE_FLOOD,
    /** No session or pending handshake has this receiver index. */
    UNKNOWN_SESSION,
    /** Data packet failed authentication. */
    DECRYPT_FAILED,
    /** Counter already seen or too far behind the replay window. */
    REPLAYED_PACKET,
    /** The session is older than the reject-after time or exhausted its counters. */
    EXPIRED_SESSION,
    /** No session and the pending-packet queue is full. */
    QUEUE_FULL,
    /** A decrypted packet's source address is outside the sender's allowed IPs (counted by the node). */
    NOT_ALLOWED_SOURCE,
    /** No peer's allowed IPs match the packet's destination (counted by the node). */
    NO_ROUTE
}
