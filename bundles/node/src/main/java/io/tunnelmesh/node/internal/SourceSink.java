package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The sink the node gives one {@code PeerSource} subscription. Calls come on the source's threads; each takes
 * the node's lock like the other control calls and becomes one data-plane batch. After the source is unbound
 * ({@link #close}) calls are ignored, so a late delivery cannot bring its peers back.
 */
final class SourceSink implements PeerSink {
    /** What the sink needs from the node, read under the node's lock. */
    interface Node {
        PeerSources peerSources();

        /** The running data plane, or null. */
        DataPlane plane();

        /** The node's own key (a source listing this node itself is normal for a mesh map), or null. */
        NodeKey ownKey();

        NodeStatus status();
    }

    private final String name;
    private final Object lock;
    private final Node node;
    /** Guarded by {@link #lock}. */
    private boolean closed;
    /** The subscription handle, once {@code subscribe} returned; guarded by {@link #lock}. */
    private AutoCloseable handle;

    SourceSink(String name, Object lock, Node node) {
        this.name = name;
        this.lock = lock;
        this.node = node;
    }

    String name() {
        return name;
    }

    @Override
    public void replaceAll(Collection<PeerConfig> peers) {
        List<PeerConfig> copy = copy(peers); // the source's collection, copied before it can change under us
        synchronized (lock) {
            if (!closed) {
                node.peerSources().sourceReplaced(this, withoutOwnKey(copy), node.plane());
            }
        }
    }

    @Override
    public NodeStatus nodeStatus() {
        synchronized (lock) {
            return closed ? null : node.status();
        }
    }

    @Override
    public void update(Collection<PeerConfig> upserts, Collection<NodeKey> removed) {
        List<PeerConfig> upsertCopy = copy(upserts);
        List<NodeKey> removedCopy = copy(removed);
        synchronized (lock) {
            if (!closed) {
                node.peerSources().sourceUpdated(this, withoutOwnKey(upsertCopy), removedCopy, node.plane());
            }
        }
    }

    /**
     * Remembers the handle {@code subscribe} returned.
     *
     * @return false when the sink was closed meanwhile: the caller closes the handle
     */
    boolean subscribed(AutoCloseable subscription) {
        synchronized (lock) {
            handle = subscription;
            return !closed;
        }
    }

    /** Stops taking calls; the caller then removes this source's peers. @return the handle to close, or null */
    AutoCloseable close() {
        synchronized (lock) {
            closed = true;
            AutoCloseable h = handle;
            handle = null;
            return h;
        }
    }

    private List<PeerConfig> withoutOwnKey(List<PeerConfig> peers) {
        NodeKey own = node.ownKey();
        if (own != null) {
            peers.removeIf(p -> p.publicKey().equals(own));
        }
        return peers;
    }

    /** Null collections and null elements (a buggy source) are ignored rather than thrown into its thread. */
    private static <T> List<T> copy(Collection<T> items) {
        List<T> out = new ArrayList<>(items == null ? 0 : items.size());
        if (items != null) {
            for (T item : items) {
                if (item != null) {
                    out.add(item);
                }
            }
        }
        return out;
    }
}
