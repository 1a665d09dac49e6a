package io.tunnelmesh.coordinator.internal;

import java.util.ArrayDeque;

/**
 * How many full maps are being sealed and written at once, coordinator-wide. In a reconnect storm every node
 * wants the whole map (megabytes at 10,000 nodes); sealing them all at once would put gigabytes in outbound
 * buffers. Sessions wait their turn in order instead, each holding its place for the time its map takes to
 * leave.
 */
final class MapPermits {
    private final int max;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inUse;

    MapPermits(int max) {
        this.max = max;
    }

    /** Runs {@code granted} now (on this thread) or later (on the releasing thread) once a permit is free. */
    void acquire(Runnable granted) {
        synchronized (this) {
            if (inUse >= max) {
                waiting.add(granted);
                return;
            }
            inUse++;
        }
        granted.run();
    }

    /** Hands the permit to the next waiting session, or returns it. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inUse--;
            }
        }
        if (next != null) {
            next.run();
        }
    }
}
