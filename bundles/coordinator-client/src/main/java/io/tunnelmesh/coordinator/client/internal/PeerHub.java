package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerSink;
import io.tunnelmesh.support.log.ComponentLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The current peer map and its subscribers (the node, or any other {@code PeerSink}). Each change is queued, under
 * the same lock that changes the map, to one delivery thread: sinks see the changes in order, a new sink gets the
 * map first, and no sink is ever called while this lock is held (the node calls {@link #subscribe} under its own
 * lock, and a sink takes that lock: calling it from here directly could deadlock).
 */
final class PeerHub implements AutoCloseable {
    private final Object lock = new Object();
    private final Map<NodeKey, PeerConfig> current = new LinkedHashMap<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ExecutorService delivery;
    private final ComponentLog log;

    PeerHub(ComponentLog log) {
        this.log = log;
        this.delivery = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("tm-coordinator-peers").unstarted(r));
    }

    /** Starts delivering to {@code sink}: the current map at once, then each change, until the handle is closed. */
    AutoCloseable subscribe(PeerSink sink) {
        Subscription s = new Subscription(sink);
        synchronized (lock) {
            subscriptions.add(s);
            List<PeerConfig> snapshot = List.copyOf(current.values());
            queue(s, () -> sink.replaceAll(snapshot));
        }
        return s;
    }

    void replaceAll(Collection<PeerConfig> peers) {
        synchronized (lock) {
            current.clear();
            peers.forEach(p -> current.put(p.publicKey(), p));
            List<PeerConfig> snapshot = List.copyOf(current.values());
            subscriptions.forEach(s -> queue(s, () -> s.sink.replaceAll(snapshot)));
        }
    }

    void update(Collection<PeerConfig> upserts, Collection<NodeKey> removed) {
        if (upserts.isEmpty() && removed.isEmpty()) {
            return;
        }
        synchronized (lock) {
            removed.forEach(current::remove);
            upserts.forEach(p -> current.put(p.publicKey(), p));
            List<PeerConfig> up = List.copyOf(upserts);
            List<NodeKey> gone = List.copyOf(removed);
            subscriptions.forEach(s -> queue(s, () -> s.sink.update(up, gone)));
        }
    }

    /** The status of the first subscribed node that still answers, or null (none subscribed). */
    NodeStatus nodeStatus() {
        List<PeerSink> sinks;
        synchronized (lock) {
            sinks = subscriptions.stream().map(s -> s.sink).toList();
        }
        for (PeerSink sink : sinks) { // outside the lock: a sink takes the node's lock
            NodeStatus status = sink.nodeStatus();
            if (status != null) {
                return status;
            }
        }
        return null;
    }

    int size() {
        synchronized (lock) {
            return current.size();
        }
    }

    List<PeerConfig> peers() {
        synchronized (lock) {
            return List.copyOf(current.values());
        }
    }

    private void queue(Subscription s, Runnable call) {
        try {
            delivery.execute(() -> {
                if (s.open) {
                    try {
                        call.run();
                    } catch (RuntimeException e) {
                        log.error("a peer subscriber failed to take the coordinator's peers: " + e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: the component is going away, nobody listens any more
        }
    }

    /** Stops every delivery; queued ones are dropped. */
    @Override
    public void close() {
        synchronized (lock) {
            subscriptions.forEach(s -> s.open = false);
            subscriptions.clear();
        }
        delivery.shutdownNow();
    }

    private final class Subscription implements AutoCloseable {
        final PeerSink sink;
        volatile boolean open = true;

        Subscription(PeerSink sink) {
            this.sink = sink;
        }

        @Override
        public void close() {
            open = false;
            synchronized (lock) {
                subscriptions.remove(this);
            }
        }
    }
}
