package io.tunnelmesh.transport.udp.internal;

import java.util.concurrent.atomic.LongAdder;

/** What one binding counts instead of logging per packet. LongAdder: many sending threads, rare reads. */
final class TransportCounters {
    /** Datagrams send() refused: queue full, socket backlog full, unusable destination. */
    final LongAdder sendDrops = new LongAdder();
    /** Failed writes and reads reported by Netty. */
    final LongAdder ioErrors = new LongAdder();
    final LongAdder receiverFailures = new LongAdder();

    long dropped() {
        return sendDrops.sum() + ioErrors.sum();
    }
}
