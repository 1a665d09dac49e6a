package io.tunnelmesh.api.node;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import java.util.Collection;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a {@link PeerSource} delivers its peers: one sink per subscription, so the node knows which source
 * said what. Each call is applied as one atomic update (one rebuild of the peer set and routing table), so
 * a map of N peers costs O(N), not O(N²). Thread-safe.
 */
@ProviderType
public interface PeerSink {
    /** Replaces everything this source said before with {@code peers}. */
    void replaceAll(Collection<PeerConfig> peers);

    /** Adds or replaces {@code upserts} and drops {@code removed} (their sessions too), in one update. */
    void update(Collection<PeerConfig> upserts, Collection<NodeKey> removed);

    /**
     * The subscribing node's status (its bound port, interface and addresses), or null once the subscription has
     * ended. A source that reports the node's endpoints reads them here: referencing the node's {@link MeshNode}
     * service as well would make a service cycle (the node references every source).
     */
    NodeStatus nodeStatus();
}
