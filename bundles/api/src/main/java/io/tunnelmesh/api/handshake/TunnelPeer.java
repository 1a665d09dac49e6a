package io.tunnelmesh.api.handshake;

import io.tunnelmesh.api.NodeKey;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/** One peer's sessions and timers inside a {@link TunnelEngine}. Same buffer convention as the engine. */
@ProviderType
public interface TunnelPeer {
    NodeKey publicKey();

    /**
     * Seals one IP packet for this peer: {@link PacketOutcome.Action#SEND_TO_PEER} with the data message in
     * {@code out}. Without a usable session the packet is copied into a bounded queue and, when one is due, a
     * handshake initiation is returned instead ({@code SEND_TO_PEER}); otherwise {@code NONE}, or {@code DROP}
     * with {@link DropReason#QUEUE_FULL}.
     */
    void encapsulate(ByteBuffer ipPacket, ByteBuffer out, long nowNanos, PacketOutcome outcome);

    /**
     * Runs this peer's timers and drains its queue: returns one datagram per call ({@code SEND_TO_PEER}:
     * a retransmitted or rekeying initiation, a keepalive, a queued packet now sealed) until {@code NONE}.
     * Call it after an authenticated receive and whenever {@link #nextDeadlineNanos()} has passed.
     */
    void poll(ByteBuffer out, long nowNanos, PacketOutcome outcome);

    /** Monotonic time at which {@link #poll} next has work, or {@link Long#MAX_VALUE}. */
    long nextDeadlineNanos();

    /** Starts a new handshake at the next {@link #poll}, as if the rekey timer had fired. */
    void requestHandshake();

    void setPersistentKeepalive(int seconds);

    PeerStats stats();
}
