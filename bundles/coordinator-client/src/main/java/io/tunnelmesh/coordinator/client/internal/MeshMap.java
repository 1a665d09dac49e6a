package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's entries as this node last heard them (what the cache stores), and the peer changes each
 * {@code map} / {@code delta} means. Our own entry and entries without a valid key are left out. Link thread only.
 */
final class MeshMap {
    private final Map<NodeKey, NodeEntry> entries = new LinkedHashMap<>();
    private NodeKey self;
    private HostPort relayServer;

    /** Our key, once the identity is known: the coordinator should not list us, but a cache from before may. */
    void self(NodeKey key) {
        this.self = key;
        if (key != null) {
            entries.remove(key);
        }
    }

    /** The coordinator address in use: its relay becomes each peer's last candidate from the next map on. */
    void relayVia(HostPort coordinator) {
        this.relayServer = coordinator;
    }

    /** @return every peer after replacing the entries with {@code peers} */
    List<PeerConfig> replace(Collection<NodeEntry> peers) {
        entries.clear();
        List<PeerConfig> out = new ArrayList<>(peers.size());
        for (NodeEntry e : peers) {
            PeerConfig peer = usable(e);
            if (peer != null) {
                entries.put(peer.publicKey(), e);
                out.add(peer);
            }
        }
        return out;
    }

    Change apply(PeerDelta delta) {
        List<NodeKey> removed = new ArrayList<>(delta.removed().size());
        for (String text : delta.removed()) {
            NodeKey key = PeerEntries.key(text);
            if (key != null && !key.equals(self)) {
                entries.remove(key);
                removed.add(key);
            }
        }
        List<PeerConfig> upserts = new ArrayList<>(delta.changed().size());
        for (NodeEntry e : delta.changed()) {
            PeerConfig peer = usable(e);
            if (peer != null) {
                entries.put(peer.publicKey(), e);
                upserts.add(peer);
                removed.remove(peer.publicKey());
            }
        }
        return new Change(upserts, removed);
    }

    List<NodeEntry> entries() {
        return List.copyOf(entries.values());
    }

    int size() {
        return entries.size();
    }

    private PeerConfig usable(NodeEntry e) {
        PeerConfig peer = PeerEntries.toPeer(e, relayServer);
        return peer == null || peer.publicKey().equals(self) ? null : peer;
    }

    record Change(List<PeerConfig> upserts, List<NodeKey> removed) {
    }
}
