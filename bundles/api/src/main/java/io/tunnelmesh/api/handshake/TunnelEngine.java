package io.tunnelmesh.api.handshake;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.NodeKey;
import java.nio.ByteBuffer;
import java.util.Collection;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A local node's protocol state for all its peers: handshakes, keypairs, replay windows, cookies and rate
 * limits. Sans-IO: nothing here blocks or touches a socket.
 *
 * <p>Buffer convention for every call that produces a datagram or packet: the result is written starting at
 * {@code out.position()}; on return the position is unchanged and the limit is position + length, so the
 * caller can send or write {@code out} as it is; {@link PacketOutcome#length()} holds the length too.
 *
 * <p>All methods are safe to call from several threads; sealing and opening transport data take no lock.
 */
@ProviderType
public interface TunnelEngine extends AutoCloseable {
    NodeKey localKey();

    /** Adds a peer, or returns the existing one with its persistent keepalive updated. */
    TunnelPeer addPeer(NodeKey remote, int persistentKeepaliveSeconds);

    /** Removes a peer and wipes its keys. @return whether it was known */
    boolean removePeer(NodeKey remote);

    /** @return the peer, or null when unknown */
    TunnelPeer peer(NodeKey remote);

    Collection<TunnelPeer> peers();

    /**
     * Processes one datagram from the network, of any message type. Outcomes:
     * {@link PacketOutcome.Action#DELIVER} (out holds a decrypted IP packet from
     * {@link PacketOutcome#peer()}), {@link PacketOutcome.Action#SEND_TO_SOURCE} (out holds a handshake response
     * or cookie reply for {@code source}), {@link PacketOutcome.Action#NONE} (consumed, e.g. a keepalive or a
     * handshake response), or {@link PacketOutcome.Action#DROP} with a reason. Never throws for bad input.
     * When {@link PacketOutcome#authenticated()} is set the caller may move the peer's endpoint to
     * {@code source} (roaming) and should then {@link TunnelPeer#poll} that peer: a completed handshake may
     * have released queued packets or a confirming keepalive. Under load a handshake's cookie is bound to
     * {@link Endpoint#dstToBytes()} of {@code source} and its rate limit counts per {@link Endpoint#dstHostBytes()}.
     */
    void receive(ByteBuffer datagram, Endpoint source, ByteBuffer out, long nowNanos, PacketOutcome outcome);

    /**
     * Whether {@code datagram} (position to limit) is a handshake message: one that may cost Diffie-Hellman, so
     * the caller hands it to its handshake worker instead of opening it on the data path. Looks at the type only.
     */
    default boolean isHandshake(ByteBuffer datagram) {
        return false;
    }

    /** Tells the engine that its handshake input is backlogged, so it demands cookies (mac2). */
    void setUnderLoad(boolean underLoad);

    /** Datagrams dropped for {@code reason} since the engine was created. */
    long drops(DropReason reason);

    /** Wipes every key this engine holds. */
    @Override
    void close();
}
