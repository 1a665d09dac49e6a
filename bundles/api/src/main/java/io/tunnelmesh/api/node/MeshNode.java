package io.tunnelmesh.api.node;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import java.util.List;
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
}
