package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import java.util.List;

/**
 * The coordinator's word on the peers, passed on: the {@link MeshMap} turns each {@code map} and {@code delta} into
 * peer changes for the {@link PeerHub}, and the {@link PeerCache} keeps the entries for the next start. Link thread only.
 */
final class PeerFeed {
    private final MeshMap map = new MeshMap();
    private final PeerHub hub;
    private final PeerCache cache;

    PeerFeed(PeerHub hub, PeerCache cache) {
        this.hub = hub;
        this.cache = cache;
    }

    /** Our key: the coordinator should not list us, but a cache from before may. */
    void self(NodeKey key) {
        map.self(key);
    }

    /** The coordinator address in use: its relay becomes each peer's last candidate. */
    void relayVia(HostPort coordinator) {
        map.relayVia(coordinator);
    }

    /** Delivers the cached map, if there is one; @return whether there was */
    boolean restoreCache() {
        List<NodeEntry> cached = cache.load();
        if (cached.isEmpty()) {
            return false;
        }
        hub.replaceAll(map.replace(cached));
        return true;
    }

    /** A {@code map}: every peer. */
    void replace(List<NodeEntry> peers) {
        hub.replaceAll(map.replace(peers));
        cache.save(map.entries());
    }

    /** A {@code delta}: the changed and removed peers. */
    void apply(PeerDelta delta) {
        MeshMap.Change change = map.apply(delta);
        hub.update(change.upserts(), change.removed());
        cache.save(map.entries());
    }

    /** Not a member: no peers, and none after a restart either. */
    void clear() {
        hub.replaceAll(map.replace(List.of()));
        cache.save(map.entries());
    }

    /** Removed from the mesh: no peers, and nothing to restore on the next start. */
    void forget() {
        hub.replaceAll(map.replace(List.of()));
        cache.delete();
    }

    int size() {
        return map.size();
    }

    /** Writes a save the cache held back, once its interval has passed. */
    void flushCacheIfDue() {
        cache.flushIfDue();
    }

    /** Writes a save the cache held back, now. */
    void flushCache() {
        cache.flush();
    }
}
