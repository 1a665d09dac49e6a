package io.tunnelmesh.api.handshake;

/**
 * What an engine call produced. Mutable and reused: a caller keeps one per thread, so the hot path
 * allocates nothing. Set only by the engine.
 */
public final class PacketOutcome {
    /** What the caller has to do with the output buffer. */
    public enum Action {
        /** Nothing to send or deliver. */
        NONE,
        /** Send the output datagram to the peer's current endpoint. */
        SEND_TO_PEER,
        /** Send the output datagram back to the source of the received datagram. */
        SEND_TO_SOURCE,
        /** Write the output IP packet to the TUN device (after checking the peer's allowed IPs). */
        DELIVER,
        /** The input was dropped; see {@link #dropReason()}. */
        DROP,
        /**
         * An authenticated data message whose plaintext is not an IP packet (its first byte's high nibble is
         * neither 4 nor 6): the node's own control message, e.g. a path probe, in the output buffer with its
         * padding. A stock WireGuard peer drops such a packet; so does a node that does not know the message.
         */
        CONTROL
    }

    private Action action = Action.NONE;
    private TunnelPeer peer;
    private int length;
    private DropReason dropReason;
    private boolean authenticated;
    private boolean pollDue;

    public Action action() {
        return action;
    }

    /** The peer concerned, or null (e.g. a drop before the sender was known). */
    public TunnelPeer peer() {
        return peer;
    }

    /** Bytes of output at the output buffer's position. */
    public int length() {
        return length;
    }

    public DropReason dropReason() {
        return dropReason;
    }

    /** True when the received datagram was proven to come from {@link #peer()}. */
    public boolean authenticated() {
        return authenticated;
    }

    /**
     * True when the datagram made {@link #peer()} able to send what it held back (its first data on a new session
     * confirmed that session): the caller should have the peer {@link TunnelPeer#poll polled} soon.
     */
    public boolean pollDue() {
        return pollDue;
    }

    /** Marks the outcome set last as {@link #pollDue()}. */
    public PacketOutcome markPollDue() {
        this.pollDue = true;
        return this;
    }

    public PacketOutcome none(TunnelPeer p, boolean authentic) {
        return set(Action.NONE, p, 0, null, authentic);
    }

    public PacketOutcome output(Action a, TunnelPeer p, int len, boolean authentic) {
        return set(a, p, len, null, authentic);
    }

    public PacketOutcome drop(DropReason reason, TunnelPeer p) {
        return set(Action.DROP, p, 0, reason, false);
    }

    private PacketOutcome set(Action a, TunnelPeer p, int len, DropReason reason, boolean authentic) {
        this.action = a;
        this.peer = p;
        this.length = len;
        this.dropReason = reason;
        this.authenticated = authentic;
        this.pollDue = false;
        return this;
    }

    @Override
    public String toString() {
        return action + (dropReason == null ? "" : "(" + dropReason + ")") + " len=" + length;
    }
}
