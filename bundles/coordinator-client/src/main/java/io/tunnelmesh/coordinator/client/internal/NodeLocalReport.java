package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.control.EndpointsReport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The local report from the running node when there is one (the port it actually bound, its TUN interface and
 * addresses), else from its configuration file: {@code tm:join} may run before the node ever started.
 */
final class NodeLocalReport implements LocalReport {
    private final Supplier<NodeStatus> node;
    private final NodeConfigFile config;

    /** @param node the running node's status, or null when there is none */
    NodeLocalReport(Supplier<NodeStatus> node, NodeConfigFile config) {
        this.node = node;
        this.config = config;
    }

    @Override
    public EndpointsReport current(List<IpPrefix> meshPrefixes) {
        int port = config.listenPort();
        String tun = config.interfaceName();
        List<IpPrefix> skip = new ArrayList<>(meshPrefixes);
        NodeStatus status = null;
        try {
            status = node.get();
        } catch (RuntimeException e) {
            // the node is going away: the configuration is as good
        }
        if (status != null) {
            if (status.listenPort() > 0) {
                port = status.listenPort();
            }
            if (status.interfaceName() != null) {
                tun = status.interfaceName();
            }
            if (status.addresses() != null) {
                skip.addAll(status.addresses());
            }
        }
        return new EndpointsReport(port, LocalEndpoints.of(port, tun, skip));
    }
}
