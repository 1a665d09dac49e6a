package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What the packet threads read on every packet, published as one immutable snapshot through a volatile
 * field: the engine, the peers, the routing table and the engine-peer → node-peer map. The control thread
 * builds a new one on every change (rare), so the hot path takes no lock.
 */
final class PeerSet {
    static final PeerSet EMPTY = new PeerSet(null, new NodePeer[0], AllowedIps.empty(), Map.of());

    final TunnelEngine engine;
    final NodePeer[] peers;
    final AllowedIps<NodePeer> routes;
    private final Map<TunnelPeer, NodePeer> byTunnel;

    private PeerSet(TunnelEngine engine, NodePeer[] peers, AllowedIps<NodePeer> routes, Map<TunnelPeer, NodePeer> byTunnel) {
        this.engine = engine;
        this.peers = peers;
        this.routes = routes;
        this.byTunnel = byTunnel;
    }

    /** Builds the snapshot; every peer must already be attached to {@code engine} (or engine is null). */
    static PeerSet of(TunnelEngine engine, Collection<NodePeer> peers) {
        AllowedIps.Builder<NodePeer> routes = new AllowedIps.Builder<>();
        Map<TunnelPeer, NodePeer> byTunnel = new IdentityHashMap<>();
        for (NodePeer p : peers) {
            for (IpPrefix prefix : p.config().allowedIps()) {
                routes.add(prefix, p);
            }
            if (p.tunnel() != null) {
                byTunnel.put(p.tunnel(), p);
            }
        }
        return new PeerSet(engine, peers.toArray(new NodePeer[0]), routes.build(), byTunnel);
    }

    /** The node peer an engine outcome names, or null (unknown, or from a replaced engine). */
    NodePeer of(TunnelPeer tunnel) {
        return tunnel == null ? null : byTunnel.get(tunnel);
    }
}
