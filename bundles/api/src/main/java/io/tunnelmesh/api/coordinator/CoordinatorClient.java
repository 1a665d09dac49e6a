package io.tunnelmesh.api.coordinator;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.identity.NodeIdentity;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The coordinator client concern: registers this node's public key and endpoints with a coordinator and
 * learns the mesh's peers from it. A coordinator only ever sees public keys, endpoints and (when relaying)
 * ciphertext.
 */
@ProviderType
public interface CoordinatorClient {
    /**
     * Registers the node (its public key, SSH public key and binding signature, never private material) and
     * returns what the coordinator assigned.
     */
    Registration register(NodeIdentity identity, List<Endpoint> localEndpoints) throws IOException;

    /** Subscribes to the peer list; the consumer is called with the whole list whenever it changes. */
    AutoCloseable watchPeers(Consumer<List<PeerConfig>> consumer);
}
