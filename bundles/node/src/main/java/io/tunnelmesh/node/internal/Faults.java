package io.tunnelmesh.node.internal;

import io.tunnelmesh.support.log.ComponentLog;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs unexpected failures on the packet threads without flooding: the 1st, 2nd, 4th, 8th, … occurrence is
 * logged with its running count, so a persistent fault stays visible while costing almost nothing.
 */
final class Faults {
    private final ComponentLog log;
    private final AtomicLong count = new AtomicLong();

    Faults(ComponentLog log) {
        this.log = log;
    }

    void report(String message) {
        long n = count.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            log.warn(message + " (" + n + (n == 1 ? " time so far)" : " times so far)"));
        }
    }
}
