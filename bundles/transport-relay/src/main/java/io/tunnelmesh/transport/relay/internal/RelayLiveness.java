package io.tunnelmesh.transport.relay.internal;

import java.util.concurrent.TimeUnit;

/**
 * Whether the server of a relay link still answers: ping when it has been quiet for {@link #PING_AFTER_NANOS}, give
 * the link up after {@link #DEAD_AFTER_NANOS} of silence (so a host that changed its address is back within about
 * two seconds) or when the handshake takes longer than {@link #HANDSHAKE_TIMEOUT_NANOS}. I/O thread only.
 */
final class RelayLiveness {
    static final long PING_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    static final long DEAD_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(2000);
    static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private long connectedNanos;
    private long lastReadNanos;
    private long lastPingNanos;

    /** A connection attempt starts. */
    void connecting(long now) {
        connectedNanos = now;
    }

    /** The server sent something (or finished the handshake). */
    void heard(long now) {
        lastReadNanos = now;
    }

    /** Why the link must be given up at {@code now}, or null while it is alive. */
    String problem(long now, boolean established) {
        if (!established) {
            return now - connectedNanos > HANDSHAKE_TIMEOUT_NANOS
                    ? "no handshake answer within " + TimeUnit.NANOSECONDS.toSeconds(HANDSHAKE_TIMEOUT_NANOS) + " s"
                    : null;
        }
        long silent = now - lastReadNanos;
        return silent >= DEAD_AFTER_NANOS ? "no answer for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms" : null;
    }

    /** True, at most once per {@link #PING_AFTER_NANOS}, when an established link has been quiet long enough for a ping. */
    boolean pingDue(long now) {
        if (now - lastReadNanos >= PING_AFTER_NANOS && now - lastPingNanos >= PING_AFTER_NANOS) {
            lastPingNanos = now;
            return true;
        }
        return false;
    }
}
