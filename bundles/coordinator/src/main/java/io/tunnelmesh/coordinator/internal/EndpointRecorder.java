package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.CoordinatorStore;
import io.tunnelmesh.support.log.ComponentLog;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes nodes' endpoints and last-seen times to the store, off the fan-out path: peers hear of a change
 * before it is on disk (nothing is lost that the node will not report again). The latest value per node
 * wins, and a drain writes a bounded batch before yielding its store thread, so joins are not stuck behind
 * a reconnect storm's thousands of writes.
 */
final class EndpointRecorder {
    static final int BATCH = 64;

    private record Pending(List<String> endpoints, Instant lastSeen) {
    }

    private final CoordinatorStore store;
    private final StoreExecutor thread;
    private final ComponentLog log;
    private final Map<NodeKey, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    EndpointRecorder(CoordinatorStore store, StoreExecutor thread, ComponentLog log) {
        this.store = store;
        this.thread = thread;
        this.log = log;
    }

    void record(NodeKey key, List<String> endpoints, Instant lastSeen) {
        pending.put(key, new Pending(endpoints, lastSeen));
        if (scheduled.compareAndSet(false, true)) {
            thread.execute(this::drain, log);
        }
    }

    /** Forgets what a removed node reported, so a late write does not touch its (deleted) row. */
    void forget(NodeKey key) {
        pending.remove(key);
    }

    /** Single-flight: only one drain runs at a time, so two writes for one node never race. */
    private Void drain() throws java.io.IOException {
        Iterator<Map.Entry<NodeKey, Pending>> it = pending.entrySet().iterator();
        int written = 0;
        try {
            while (it.hasNext() && written < BATCH) {
                Map.Entry<NodeKey, Pending> e = it.next();
                it.remove();
                store.updateEndpoints(e.getKey(), e.getValue().endpoints(), e.getValue().lastSeen());
                written++;
            }
        } finally {
            scheduled.set(false);
            if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
                thread.execute(this::drain, log);
            }
        }
        return null;
    }
}
