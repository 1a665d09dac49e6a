package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PeerStats;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What {@code wg show} would report for one peer; updated from any thread without locks. */
final class PeerCounters {
    private final LongAdder rxBytes = new LongAdder();
    private final LongAdder txBytes = new LongAdder();
    private final AtomicLong handshakesCompleted = new AtomicLong();
    private volatile Instant latestHandshake;
    private volatile DropReason lastError;

    void received(int bytes) {
        rxBytes.add(bytes);
    }

    void sent(int bytes) {
        txBytes.add(bytes);
    }

    void handshakeCompleted(Instant wallTime) {
        handshakesCompleted.incrementAndGet();
        latestHandshake = wallTime;
    }

    void error(DropReason reason) {
        lastError = reason;
    }

    PeerStats snapshot() {
        return new PeerStats(latestHandshake, rxBytes.sum(), txBytes.sum(), handshakesCompleted.get(), lastError);
    }
}
