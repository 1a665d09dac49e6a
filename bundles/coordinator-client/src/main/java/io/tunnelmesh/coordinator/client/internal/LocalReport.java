package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.control.EndpointsReport;
import java.util.List;

/** Where this node listens now, as the coordinator should hear it (the hello's and the {@code endpoints} message's fields). */
interface LocalReport {
    /** @param meshPrefixes the mesh's own prefixes: addresses inside them are not endpoints */
    EndpointsReport current(List<IpPrefix> meshPrefixes);
}
