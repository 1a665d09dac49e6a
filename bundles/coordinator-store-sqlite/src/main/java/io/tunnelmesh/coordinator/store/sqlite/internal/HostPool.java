package io.tunnelmesh.coordinator.store.sqlite.internal;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The lowest free host number in O(log N): every number below {@code next} is used unless it is in
 * {@code holes} (numbers freed by removals). Loaded from the nodes at open, changed only after a commit.
 * Not thread-safe: the store's write lock guards it.
 */
final class HostPool {
    private final long first;
    private final long last;
    private final TreeSet<Long> holes = new TreeSet<>();
    private long next;

    HostPool(long first, long last) {
        this.first = first;
        this.last = last;
        this.next = first;
    }

    /** The lowest free number, or empty when every host is used. */
    OptionalLong lowestFree() {
        if (!holes.isEmpty()) {
            return OptionalLong.of(holes.first());
        }
        return next <= last ? OptionalLong.of(next) : OptionalLong.empty();
    }

    void use(long host) {
        if (host < first || host > last) {
            throw new IllegalArgumentException("host " + host + " is outside " + first + ".." + last);
        }
        if (host < next) {
            holes.remove(host);
            return;
        }
        for (long h = next; h < host; h++) {
            holes.add(h);
        }
        next = host + 1;
    }

    void free(long host) {
        if (host >= next || host < first) {
            return;
        }
        if (host == next - 1) {
            next--;
            while (!holes.isEmpty() && holes.last() == next - 1) {
                next = holes.pollLast();
            }
        } else {
            holes.add(host);
        }
    }
}
