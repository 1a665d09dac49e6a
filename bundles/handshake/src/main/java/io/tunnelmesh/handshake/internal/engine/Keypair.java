package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.api.cipher.TransportKey;
import io.tunnelmesh.handshake.internal.wireguard.ReplayWindow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport state one handshake produced: both directions' keys, the send counter, the replay window and
 * the indices. Sending takes no lock (an atomic counter hands each packet its own nonce); the replay window is
 * guarded by this keypair alone.
 */
final class Keypair implements IndexOwner {
    private final WireGuardPeer peer;
    private final TransportKey sendKey;
    private final TransportKey receiveKey;
    private final boolean initiator;
    private final long createdNanos;
    private final int localIndex;
    private final int remoteIndex;
    private final AtomicLong sendCounter = new AtomicLong();
    private final ReplayWindow replay = new ReplayWindow();
    private volatile boolean destroyed;

    Keypair(WireGuardPeer peer, TransportKey sendKey, TransportKey receiveKey, boolean initiator, long createdNanos, int localIndex, int remoteIndex) {
        this.peer = peer;
        this.sendKey = sendKey;
        this.receiveKey = receiveKey;
        this.initiator = initiator;
        this.createdNanos = createdNanos;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
    }

    @Override
    public int localIndex() {
        return localIndex;
    }

    @Override
    public WireGuardPeer peer() {
        return peer;
    }

    int remoteIndex() {
        return remoteIndex;
    }

    boolean initiator() {
        return initiator;
    }

    TransportKey sendKey() {
        return sendKey;
    }

    TransportKey receiveKey() {
        return receiveKey;
    }

    long age(long nowNanos) {
        return nowNanos - createdNanos;
    }

    boolean expired(long nowNanos) {
        return destroyed || age(nowNanos) >= ProtocolTimes.REJECT_AFTER_TIME;
    }

    /** Whether this keypair may still seal: not expired and counters left. */
    boolean canSend(long nowNanos) {
        return !expired(nowNanos) && Long.compareUnsigned(sendCounter.get(), ReplayWindow.REJECT_AFTER_MESSAGES) < 0;
    }

    /**
     * Claims the next nonce. Each call returns a different value, so no two packets ever share a nonce even when
     * several threads seal at once. @return the counter, or -1 when the keypair must not send any more
     */
    long nextCounter() {
        long c = sendCounter.getAndIncrement();
        return Long.compareUnsigned(c, ReplayWindow.REJECT_AFTER_MESSAGES) < 0 ? c : -1;
    }

    long sentCount() {
        return sendCounter.get();
    }

    /** Only for counters that already authenticated. */
    boolean acceptCounter(long counter) {
        synchronized (replay) {
            return replay.accept(counter);
        }
    }

    void destroy() {
        destroyed = true;
        sendKey.destroy();
        receiveKey.destroy();
    }
}
