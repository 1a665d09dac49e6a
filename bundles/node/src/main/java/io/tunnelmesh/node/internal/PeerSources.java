package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the node's peers come from: peer files (one {@link ConfiguredPeer} service each) and peers added at
 * runtime from the shell. Remembers both, so a new data plane (after a configuration change) gets all of
 * them, and applies each change to the running one. Not thread-safe: the node calls it under its lock.
 */
final class PeerSources {
    /** Every peer file, valid or not (the invalid ones are reported in the status). */
    private final Set<ConfiguredPeer> files = new LinkedHashSet<>();
    /** The valid peer files and the peer each configured when it was last applied. */
    private final Map<ConfiguredPeer, PeerConfig> fromFiles = new LinkedHashMap<>();
    /** Peers added with {@code tm:peer-add}; kept across reconfiguration, lost on restart (like {@code wg set}). */
    private final Map<NodeKey, PeerConfig> runtime = new LinkedHashMap<>();

    /** @param plane the running data plane, or null */
    void fileAdded(ConfiguredPeer file, DataPlane plane) {
        files.add(file);
        PeerConfig config = file.peer();
        if (config != null) {
            fromFiles.put(file, config);
            if (plane != null) {
                plane.putPeer(config);
            }
        }
    }

    /** The file changed: same key → the session survives; another key (or invalid now) → the old peer goes. */
    void fileChanged(ConfiguredPeer file, DataPlane plane) {
        PeerConfig before = fromFiles.get(file);
        PeerConfig after = file.peer();
        if (before != null && (after == null || !before.publicKey().equals(after.publicKey()))) {
            forget(file, plane);
        }
        fileAdded(file, plane);
    }

    void fileRemoved(ConfiguredPeer file, DataPlane plane) {
        files.remove(file);
        forget(file, plane);
    }

    private void forget(ConfiguredPeer file, DataPlane plane) {
        PeerConfig config = fromFiles.remove(file);
        if (config == null || plane == null) {
            return;
        }
        PeerConfig kept = runtime.get(config.publicKey());
        if (kept != null) {
            plane.putPeer(kept);
        } else {
            plane.removePeer(config.publicKey());
        }
    }

    void add(PeerConfig peer, DataPlane plane) {
        runtime.put(peer.publicKey(), peer);
        if (plane != null) {
            plane.putPeer(peer);
        }
    }

    /** @return whether the peer was known */
    boolean remove(NodeKey key, DataPlane plane) {
        boolean known = runtime.remove(key) != null;
        return plane != null ? plane.removePeer(key) : known;
    }

    /** Gives a fresh data plane every peer: files first, then runtime additions (which win, as they came later). */
    void applyTo(DataPlane plane) {
        fromFiles.values().forEach(plane::putPeer);
        runtime.values().forEach(plane::putPeer);
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
