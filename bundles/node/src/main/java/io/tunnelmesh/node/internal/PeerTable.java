package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.handshake.TunnelEngine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The data plane's peers by key, and which peer owns each allowed prefix, so a batch of changes costs time in
 * the size of the batch (plus one {@link PeerSet} rebuild by the caller), not in the number of peers times the
 * batch. A prefix given to one peer is taken away from any other, as with {@code wg set}. Not thread-safe: the
 * data plane calls it under its lock.
 */
final class PeerTable {
    private final Map<NodeKey, NodePeer> peers = new LinkedHashMap<>();
    private final Map<IpPrefix, NodePeer> owners = new HashMap<>();

    Collection<NodePeer> all() {
        return peers.values();
    }

    /**
     * Drops {@code removed} (first), then adds or reconfigures {@code upserts} in order; a later upsert takes
     * prefixes from earlier ones and from existing peers. A peer whose key stays keeps its sessions.
     *
     * @param engine   the current engine (peers are attached to it), or null
     * @param resolver reads the peers' endpoints with the bound transports
     * @return how many of {@code removed} were known
     */
    int apply(Collection<PeerConfig> upserts, Collection<NodeKey> removed, TunnelEngine engine, EndpointResolver resolver) {
        int known = 0;
        for (NodeKey key : removed) {
            NodePeer peer = peers.remove(key);
            if (peer != null) {
                known++;
                disown(peer, peer.config().allowedIps());
                if (engine != null) {
                    engine.removePeer(key);
                }
                peer.attach(null);
            }
        }
        Set<NodePeer> robbed = new LinkedHashSet<>();
        for (PeerConfig config : upserts) {
            NodePeer peer = peers.get(config.publicKey());
            if (peer == null) {
                peer = new NodePeer(config, resolver);
                peers.put(peer.key, peer);
            } else {
                disown(peer, peer.config().allowedIps());
                peer.reconfigure(config, resolver);
            }
            for (IpPrefix prefix : config.allowedIps()) {
                NodePeer previous = owners.put(prefix, peer);
                if (previous != null && previous != peer) {
                    robbed.add(previous);
                }
            }
            if (engine != null) {
                peer.attach(engine.addPeer(peer.key, config.persistentKeepaliveSeconds()));
            }
        }
        for (NodePeer peer : robbed) {
            if (peers.get(peer.key) == peer) {
                keepOwnedPrefixes(peer, resolver);
            }
        }
        return known;
    }

    private void disown(NodePeer peer, List<IpPrefix> prefixes) {
        for (IpPrefix prefix : prefixes) {
            owners.remove(prefix, peer);
        }
    }

    /** Narrows a peer's prefixes to those it still owns (its endpoints and path stay as they are). */
    private void keepOwnedPrefixes(NodePeer peer, EndpointResolver resolver) {
        PeerConfig c = peer.config();
        List<IpPrefix> kept = new ArrayList<>(c.allowedIps().size());
        for (IpPrefix prefix : c.allowedIps()) {
            if (owners.get(prefix) == peer) {
                kept.add(prefix);
            }
        }
        if (kept.size() != c.allowedIps().size()) {
            peer.reconfigure(new PeerConfig(c.publicKey(), c.endpoints(), kept, c.persistentKeepaliveSeconds(), c.name()), resolver);
        }
    }
}
