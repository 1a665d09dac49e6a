package io.tunnelmesh.node.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides when the engine is "under load" (WireGuard's trigger for demanding cookies, so a flood of
 * handshake initiations costs the flooder a round trip before we spend Diffie-Hellman on it). The node
 * processes handshakes inline on the transport threads rather than through a queue, so instead of
 * wireguard-go's "queue 1/8 full" this looks at each {@link #WINDOW_NANOS} window: more than
 * {@link #MAX_INITIATIONS} initiations, or at least {@link #MIN_BUSY_INITIATIONS} that took more than
 * {@link #MAX_BUSY_NANOS} of CPU time to process (a slow machine falls behind at a lower rate), means under
 * load, which then holds until {@link #HOLD_NANOS} after the last such window, as in WireGuard. CPU time, not
 * wall time, and a minimum count, because one initiation on freshly loaded (interpreted) code or on a thread
 * the scheduler preempted took over 20 ms here, and demanding a cookie for it delayed a legitimate handshake
 * by the 5 s retransmit time. Approximate across threads by design.
 */
final class HandshakeLoad {
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** 64 per 100 ms: far above a healthy mesh (one initiation per peer per 5 s at most). */
    static final int MAX_INITIATIONS = 64;
    /** A fifth of a core spent on initiations... */
    static final long MAX_BUSY_NANOS = WINDOW_NANOS / 5;
    /** ...by at least this many of them. */
    static final int MIN_BUSY_INITIATIONS = 16;
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int INITIATION_TYPE = 1;
    private static final int INITIATION_LENGTH = 148;

    private final AtomicInteger initiations = new AtomicInteger();
    private final AtomicLong busyNanos = new AtomicLong();
    private volatile long windowStart;
    private volatile long loadedUntil;
    private volatile boolean underLoad;

    HandshakeLoad(long nowNanos) {
        windowStart = nowNanos;
        loadedUntil = nowNanos;
    }

    static boolean isInitiation(ByteBuffer datagram) {
        return datagram.remaining() == INITIATION_LENGTH && datagram.get(datagram.position()) == INITIATION_TYPE;
    }

    /**
     * Accounts one processed initiation.
     *
     * @param startedNanos   when processing started (wall clock, monotonic)
     * @param cpuNanos       the CPU time processing took
     * @param finishedNanos  when it ended (wall clock, monotonic)
     * @return the under-load state to tell the engine, or null when it did not change
     */
    Boolean initiationProcessed(long startedNanos, long cpuNanos, long finishedNanos) {
        if (startedNanos - windowStart >= WINDOW_NANOS) {
            windowStart = startedNanos;
            initiations.set(0);
            busyNanos.set(0);
        }
        int count = initiations.incrementAndGet();
        long busy = busyNanos.addAndGet(cpuNanos);
        if (count > MAX_INITIATIONS || (busy > MAX_BUSY_NANOS && count >= MIN_BUSY_INITIATIONS)) {
            loadedUntil = finishedNanos + HOLD_NANOS;
        }
        return update(finishedNanos);
    }

    /** Ends the under-load state once it has held long enough; cheap when not under load. */
    Boolean update(long nowNanos) {
        boolean loaded = nowNanos - loadedUntil < 0;
        if (loaded == underLoad) {
            return null;
        }
        underLoad = loaded;
        return loaded;
    }

    boolean underLoad() {
        return underLoad;
    }
}
