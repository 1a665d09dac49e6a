package io.tunnelmesh.transport.relay.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import java.net.InetSocketAddress;

/**
 * A relay server this node may use: where it listens, as written ({@code hostPort}, the text endpoints carry) and
 * resolved, and the static key it must prove in the handshake.
 */
record RelayServer(HostPort hostPort, InetSocketAddress address, NodeKey key) {
}
