package io.tunnelmesh.node.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides when the engine is "under load" (WireGuard's trigger for demanding cookies, so a flood of
 * handshake initiations costs the flooder a round trip before we spend a Diffie-Hellman on it). The node
 * processes handshakes inline on the transport threads instead of through a queue, so instead of
 * wireguard-go's "queue 1/8 full" this counts initiations per {@link #WINDOW_NANOS} window: more than
 * {@link #THRESHOLD} means under load, which then holds for {@link #HOLD_NANOS} after the last busy window,
 * as WireGuard does. Approximate across threads by design; costs two volatile reads per datagram.
 */
final class HandshakeLoad {
    static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** 64 per 100 ms: far above what a healthy mesh produces (one initiation per peer per 5 s at most). */
    static final int THRESHOLD = 64;
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int INITIATION_TYPE = 1;
    private static final int INITIATION_LENGTH = 148;

    private final AtomicInteger inWindow = new AtomicInteger();
    private volatile long windowStart;
    private volatile long busyUntil;
    private volatile boolean underLoad;

    HandshakeLoad(long nowNanos) {
        windowStart = nowNanos;
        busyUntil = nowNanos;
    }

    /**
     * Counts {@code datagram} if it looks like a handshake initiation.
     *
     * @return the under-load state to tell the engine, or null when it did not change
     */
    Boolean observe(ByteBuffer datagram, long nowNanos) {
        int p = datagram.position();
        if (datagram.remaining() == INITIATION_LENGTH && datagram.get(p) == INITIATION_TYPE) {
            if (nowNanos - windowStart >= WINDOW_NANOS) {
                windowStart = nowNanos;
                inWindow.set(0);
            }
            if (inWindow.incrementAndGet() > THRESHOLD) {
                busyUntil = nowNanos + HOLD_NANOS;
            }
        }
        boolean now = nowNanos - busyUntil < 0;
        if (now == underLoad) {
            return null;
        }
        underLoad = now;
        return now;
    }
}
