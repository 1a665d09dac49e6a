package io.tunnelmesh.api.coordinator;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.IpPrefix;
import java.util.List;

/**
 * @param meshAddress      the address the coordinator handed out, with the mesh's prefix length
 * @param observedEndpoint this node's endpoint as the coordinator saw it (after NAT), or null
 * @param relays           relay endpoints to fall back to when direct UDP fails
 */
public record Registration(IpPrefix meshAddress, Endpoint observedEndpoint, List<Endpoint> relays) {
    public Registration {
        relays = List.copyOf(relays == null ? List.of() : relays);
    }
}
