package io.tunnelmesh.api.node;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The running node as operators see it: what {@code tm:status}, {@code tm:peers} and {@code wg set}-style commands use. */
@ProviderType
public interface MeshNode {
    NodeStatus status();

    List<PeerStatus> peers();

    /**
     * Adds a peer or replaces the one with the same key, like {@code wg set … peer}. Takes effect at once. An
     * endpoint whose transport is not bound is kept and waits for it.
     *
     * @throws IllegalArgumentException naming the bad value, e.g. an endpoint the bound transport of its name
     *         refuses
     */
    void addPeer(PeerConfig peer);

    /** @return whether the peer was known */
    boolean removePeer(NodeKey publicKey);

    /**
     * Sends one ping through the tunnel to the peer on its current path and waits for the pong, like
     * {@code tailscale ping}.
     *
     * @return the reply, or empty when none came within {@code timeout}
     * @throws IllegalArgumentException when the peer is not known
     * @throws IllegalStateException when the peer cannot be reached now (no path, no session), in words
     */
    Optional<PingReply> ping(NodeKey publicKey, Duration timeout) throws InterruptedException;
}
