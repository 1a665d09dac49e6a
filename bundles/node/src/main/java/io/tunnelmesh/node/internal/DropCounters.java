package io.tunnelmesh.node.internal;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counts the node's own drops by reason; incrementing allocates nothing. */
final class DropCounters {
    private static final NodeDrop[] REASONS = NodeDrop.values();
    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    void count(NodeDrop reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    void add(NodeDrop reason, long n) {
        counts.addAndGet(reason.ordinal(), n);
    }

    long get(NodeDrop reason) {
        return counts.get(reason.ordinal());
    }

    /** Adds the non-zero counts to {@code into} under the reason names. */
    void addTo(Map<String, Long> into) {
        for (NodeDrop reason : REASONS) {
            long n = counts.get(reason.ordinal());
            if (n != 0) {
                into.merge(reason.name(), n, Long::sum);
            }
        }
    }
}
