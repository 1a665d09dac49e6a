package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.api.handshake.DropReason;
import java.util.concurrent.atomic.AtomicLongArray;

/** Per-engine drop counts by reason; counting allocates nothing. */
final class DropCounters {
    private final AtomicLongArray counts = new AtomicLongArray(DropReason.values().length);

    void count(DropReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    long get(DropReason reason) {
        return counts.get(reason.ordinal());
    }
}
