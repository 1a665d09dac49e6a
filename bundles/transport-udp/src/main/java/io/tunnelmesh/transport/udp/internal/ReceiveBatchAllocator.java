package io.tunnelmesh.transport.udp.internal;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * Receive buffers for a full recvmmsg batch, except for the first read after the socket was idle. Netty's epoll
 * datagram channel sets up one recvmmsg slot per datagram that fits the buffer, so a full batch costs a 128 KiB
 * buffer and 32 slots to fill and tear down on every read, which an idle ping (one datagram per wake-up) pays on
 * its round trip. Under load reads come microseconds apart and always get the full batch: the node writes what
 * one read brings to the TUN in one merged write, so shrinking batches under load (after any read that got a
 * single datagram) cut TCP throughput to a third.
 */
final class ReceiveBatchAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
    /** A read this long after the previous one finds the socket idle. */
    private static final long IDLE_NANOS = 1_000_000L;
    private final int slotBytes;
    private final int batchBytes;
    private final long idleNanos;

    ReceiveBatchAllocator(int slotBytes, int slots) {
        this(slotBytes, slots, IDLE_NANOS);
    }

    /** With another idle threshold, so a test on a busy machine is not at the mercy of a 1 ms scheduling gap. */
    ReceiveBatchAllocator(int slotBytes, int slots, long idleNanos) {
        this.slotBytes = slotBytes;
        this.batchBytes = slotBytes * slots;
        this.idleNanos = idleNanos;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            private long lastReadNanos = System.nanoTime();

            @Override
            public int guess() {
                long now = System.nanoTime();
                boolean idle = now - lastReadNanos > idleNanos;
                lastReadNanos = now;
                return idle ? slotBytes : batchBytes;
            }
        };
    }
}
