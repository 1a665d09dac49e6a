package io.tunnelmesh.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.RecvByteBufAllocator;
import org.junit.jupiter.api.Test;

/** One slot for the first read after the socket was idle; the full recvmmsg batch for reads that follow closely. */
class ReceiveBatchAllocatorTest {
    private static final int SLOT = 4096;
    private static final int SLOTS = 32;
    private static final long IDLE_MILLIS = 200;

    @Test
    void theFirstReadAfterIdleTakesOneSlotAndReadsInQuickSuccessionTakeTheBatch() throws Exception {
        RecvByteBufAllocator.Handle handle = new ReceiveBatchAllocator(SLOT, SLOTS, 0, IDLE_MILLIS * 1_000_000L).newHandle();
        Thread.sleep(IDLE_MILLIS + 50);
        assertEquals(SLOT, handle.guess(), "an idle ping: one datagram, one slot");
        assertEquals(SLOT * SLOTS, handle.guess(), "more right behind it: a full batch");
        assertEquals(SLOT * SLOTS, handle.guess());
        Thread.sleep(IDLE_MILLIS + 50);
        assertEquals(SLOT, handle.guess(), "idle again");
    }
}
