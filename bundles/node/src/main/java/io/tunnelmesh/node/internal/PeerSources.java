package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the node's peers come from, in order of precedence for one public key: peers added at runtime from the
 * shell, peer files (one {@link ConfiguredPeer} service each), and {@code PeerSource} services (one
 * {@link SourceSink} each). Remembers all of them, so a new data plane (after a configuration change) gets the
 * winners, and turns each change into one {@link DataPlane#applyPeers} batch of the keys it touched: when the
 * winner for a key goes away, the next one applies again. Not thread-safe: the node calls it under its lock.
 */
final class PeerSources {
    /** Every peer file, valid or not (the invalid ones are reported in the status). */
    private final Set<ConfiguredPeer> files = new LinkedHashSet<>();
    /** The valid peer files and the peer each configured when it was last applied. */
    private final Map<ConfiguredPeer, PeerConfig> fromFiles = new LinkedHashMap<>();
    /** Peers added with {@code tm:peer-add}; kept across reconfiguration, lost on restart (like {@code wg set}). */
    private final Map<NodeKey, PeerConfig> runtime = new LinkedHashMap<>();
    /** What each subscribed source said last, in the order the sources were bound (the first one wins a key). */
    private final Map<SourceSink, Map<NodeKey, PeerConfig>> sources = new LinkedHashMap<>();
    /** What the running data plane was last given per key, so an unchanged winner is not applied again. */
    private final Map<NodeKey, PeerConfig> applied = new HashMap<>();

    /** @param plane the running data plane, or null */
    void fileAdded(ConfiguredPeer file, DataPlane plane) {
        files.add(file);
        PeerConfig config = file.peer();
        if (config != null) {
            fromFiles.put(file, config);
            apply(Set.of(config.publicKey()), plane);
        }
    }

    /** The file changed: same key → the session survives; another key (or invalid now) → the old peer goes. */
    void fileChanged(ConfiguredPeer file, DataPlane plane) {
        PeerConfig before = fromFiles.remove(file); // re-added at the end: the file changed last wins a shared key
        PeerConfig after = file.peer();
        Set<NodeKey> touched = new LinkedHashSet<>();
        if (before != null) {
            touched.add(before.publicKey());
        }
        if (after != null) {
            fromFiles.put(file, after);
            touched.add(after.publicKey());
        }
        apply(touched, plane);
    }

    void fileRemoved(ConfiguredPeer file, DataPlane plane) {
        files.remove(file);
        PeerConfig before = fromFiles.remove(file);
        if (before != null) {
            apply(Set.of(before.publicKey()), plane);
        }
    }

    void add(PeerConfig peer, DataPlane plane) {
        runtime.put(peer.publicKey(), peer);
        apply(Set.of(peer.publicKey()), plane);
    }

    /**
     * Removes a shell-added peer; a peer file's or source's peer with that key then applies again. A key only a
     * file or source gave is removed from the running data plane until that file or source names it again.
     *
     * @return whether the peer was known
     */
    boolean remove(NodeKey key, DataPlane plane) {
        boolean fromShell = runtime.remove(key) != null;
        if (plane == null) {
            return fromShell;
        }
        if (fromShell) {
            apply(Set.of(key), plane);
            return true;
        }
        applied.remove(key);
        return plane.removePeer(key);
    }

    /** A new source, empty until its first {@link #sourceReplaced}. */
    void sourceAdded(SourceSink source) {
        sources.put(source, new HashMap<>());
    }

    void sourceReplaced(SourceSink source, Collection<PeerConfig> peers, DataPlane plane) {
        Map<NodeKey, PeerConfig> said = sources.get(source);
        if (said == null) {
            return;
        }
        Set<NodeKey> touched = new LinkedHashSet<>(said.keySet());
        said.clear();
        for (PeerConfig peer : peers) {
            said.put(peer.publicKey(), peer);
            touched.add(peer.publicKey());
        }
        apply(touched, plane);
    }

    void sourceUpdated(SourceSink source, Collection<PeerConfig> upserts, Collection<NodeKey> removed, DataPlane plane) {
        Map<NodeKey, PeerConfig> said = sources.get(source);
        if (said == null) {
            return;
        }
        Set<NodeKey> touched = new LinkedHashSet<>(removed);
        said.keySet().removeAll(removed);
        for (PeerConfig peer : upserts) {
            said.put(peer.publicKey(), peer);
            touched.add(peer.publicKey());
        }
        apply(touched, plane);
    }

    /** The source went away: its peers go (sessions too) unless a file or the shell also has them. */
    void sourceRemoved(SourceSink source, DataPlane plane) {
        Map<NodeKey, PeerConfig> said = sources.remove(source);
        if (said != null) {
            apply(said.keySet(), plane);
        }
    }

    /** Gives a fresh data plane every winning peer, in one batch. */
    void applyTo(DataPlane plane) {
        applied.clear();
        Set<NodeKey> all = new LinkedHashSet<>();
        sources.values().forEach(said -> all.addAll(said.keySet()));
        fromFiles.values().forEach(c -> all.add(c.publicKey()));
        all.addAll(runtime.keySet());
        apply(all, plane);
    }

    /**
     * Applies the winners for {@code keys} as one batch. Upserts go in ascending precedence (sources, files,
     * shell), so where two peers claim one prefix the higher-precedence one is applied last and keeps it.
     */
    private void apply(Set<NodeKey> keys, DataPlane plane) {
        if (plane == null || keys.isEmpty()) {
            return;
        }
        Map<NodeKey, PeerConfig> files = filesByKey();
        List<List<PeerConfig>> byRank = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<NodeKey> removed = new ArrayList<>();
        for (NodeKey key : keys) {
            int rank = 2;
            PeerConfig winner = runtime.get(key);
            if (winner == null) {
                rank = 1;
                winner = files.get(key);
            }
            if (winner == null) {
                rank = 0;
                winner = fromSources(key);
            }
            if (winner == null) {
                if (applied.remove(key) != null) {
                    removed.add(key);
                }
            } else if (!winner.equals(applied.put(key, winner))) {
                byRank.get(rank).add(winner);
            }
        }
        List<PeerConfig> upserts = new ArrayList<>();
        byRank.forEach(upserts::addAll);
        if (!upserts.isEmpty() || !removed.isEmpty()) {
            plane.applyPeers(upserts, removed);
        }
    }

    /** The valid files' peers by key; of two files with one key the one applied last wins. */
    private Map<NodeKey, PeerConfig> filesByKey() {
        Map<NodeKey, PeerConfig> byKey = new HashMap<>();
        fromFiles.values().forEach(c -> byKey.put(c.publicKey(), c));
        return byKey;
    }

    private PeerConfig fromSources(NodeKey key) {
        for (Map<NodeKey, PeerConfig> said : sources.values()) {
            PeerConfig peer = said.get(key);
            if (peer != null) {
                return peer;
            }
        }
        return null;
    }

    /** Why peer files were rejected, one clause each, or empty. */
    String fileErrors() {
        List<String> errors = new ArrayList<>();
        for (ConfiguredPeer file : files) {
            if (file.error() != null) {
                errors.add(file.error());
            }
        }
        return String.join("; ", errors);
    }
}
