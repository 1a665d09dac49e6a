package io.tunnelmesh.node.internal;

import java.util.concurrent.TimeUnit;

/**
 * Decides when the engine is "under load", WireGuard's trigger for demanding cookies, so a flood of handshake
 * initiations costs the flooder a round trip before we spend Diffie-Hellman on it. As wireguard-go does: the
 * node is under load while an eighth of the handshake queue is waiting, and stays so until {@link #HOLD_NANOS}
 * after the last time it was. Only the handshake worker calls it.
 */
final class HandshakeLoad {
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int THRESHOLD = HandshakeQueue.CAPACITY / 8;

    private long loadedUntil;
    private boolean underLoad;

    /**
     * @param waiting handshake messages still queued behind the one about to be handled
     * @return the state to tell the engine when it changed, or null when it did not
     */
    Boolean update(int waiting, long nowNanos) {
        if (waiting >= THRESHOLD) {
            loadedUntil = nowNanos + HOLD_NANOS;
            if (!underLoad) {
                underLoad = true;
                return true;
            }
        } else if (underLoad && nowNanos - loadedUntil >= 0) {
            underLoad = false;
            return false;
        }
        return null;
    }

    boolean underLoad() {
        return underLoad;
    }
}
