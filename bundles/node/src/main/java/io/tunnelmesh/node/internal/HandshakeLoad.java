package io.tunnelmesh.node.internal;

import java.util.concurrent.TimeUnit;

/**
 * Whether the node is "under load", WireGuard's trigger for demanding cookies, so a flood of handshake
 * initiations costs the flooder a round trip before we spend Diffie-Hellman on it. As wireguard-go decides it:
 * under load while an eighth of the handshake queue is waiting, and until {@link #HOLD_NANOS} after the last time
 * it was. A flood that {@link HandshakeAdmission} keeps out of the queue extends the hold too, or the queue would
 * drain, the node would leave the state, and the flood would back it up again. Read by every receive thread.
 */
final class HandshakeLoad {
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int THRESHOLD = HandshakeQueue.CAPACITY / 8;

    private volatile long loadedUntil;
    private volatile boolean loaded;

    /** The handshake worker, before each message: {@code waiting} are still queued behind it. */
    void queueLength(int waiting, long nowNanos) {
        if (waiting >= THRESHOLD) {
            pressure(nowNanos);
        }
    }

    /** A sign of a flood now: the state holds until a second from now. */
    void pressure(long nowNanos) {
        loadedUntil = nowNanos + HOLD_NANOS;
        if (!loaded) {
            loaded = true;
        }
    }

    boolean underLoad(long nowNanos) {
        if (loaded && nowNanos - loadedUntil >= 0) {
            loaded = false;
        }
        return loaded;
    }
}
