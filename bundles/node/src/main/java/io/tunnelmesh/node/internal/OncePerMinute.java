package io.tunnelmesh.node.internal;

import java.util.concurrent.TimeUnit;

/** Lets a message through at most once a minute, so a condition that comes and goes cannot fill the log. */
final class OncePerMinute {
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private boolean passed;
    private long lastNanos;

    /** Whether to say it now; if so, the minute starts again. Not thread-safe: one owner thread or lock. */
    boolean due(long nowNanos) {
        if (passed && nowNanos - lastNanos < INTERVAL_NANOS) {
            return false;
        }
        passed = true;
        lastNanos = nowNanos;
        return true;
    }
}
