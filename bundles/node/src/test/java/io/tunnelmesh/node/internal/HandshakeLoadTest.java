package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.transport.TransportBinding;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Under load, as wireguard-go decides it: an eighth of the handshake queue waiting, held for a second. */
class HandshakeLoadTest {
    private static final long MS = 1_000_000L;
    /** System.nanoTime may be negative: the rule must not care. */
    private static final long T0 = -5_000_000_000L;

    @Test
    void aShortQueueIsNotLoadHoweverLongItLasts() {
        HandshakeLoad load = new HandshakeLoad();
        for (int i = 0; i < 10_000; i++) {
            assertNull(load.update(HandshakeLoad.THRESHOLD - 1, T0 + i * MS));
        }
        assertFalse(load.underLoad());
    }

    @Test
    void aBackloggedQueueTurnsLoadOnAndItEndsOneSecondAfterTheBacklog() {
        HandshakeLoad load = new HandshakeLoad();
        assertEquals(Boolean.TRUE, load.update(HandshakeLoad.THRESHOLD, T0));
        assertNull(load.update(HandshakeLoad.THRESHOLD * 2, T0 + 100 * MS), "no change while it lasts");
        long lastBacklog = T0 + 200 * MS;
        assertNull(load.update(HandshakeLoad.THRESHOLD, lastBacklog));
        assertNull(load.update(0, lastBacklog + 999 * MS), "still under load within the hold time");
        assertTrue(load.underLoad());
        assertEquals(Boolean.FALSE, load.update(0, lastBacklog + HandshakeLoad.HOLD_NANOS));
        assertNull(load.update(0, lastBacklog + 2000 * MS));
        assertFalse(load.underLoad());
    }

    @Test
    void theQueueDropsWhatDoesNotFitAndGivesSlotsBack() throws InterruptedException {
        HandshakeQueue queue = new HandshakeQueue();
        ByteBuffer initiation = ByteBuffer.allocate(148);
        initiation.put(0, (byte) 1).put(147, (byte) 7);
        InetSocketAddress from = new InetSocketAddress("192.0.2.9", 51820);
        for (int i = 0; i < HandshakeQueue.CAPACITY; i++) {
            assertTrue(queue.offer(initiation, from, (TransportBinding) null), "message " + i);
        }
        assertFalse(queue.offer(initiation, from, null), "full: dropped at once");
        assertEquals(HandshakeQueue.CAPACITY, queue.length());
        assertEquals(0, initiation.position(), "the datagram is left as it was");
        HandshakeQueue.Message m = queue.poll(0);
        assertEquals(148, m.bytes.remaining());
        assertEquals(7, m.bytes.get(147));
        assertEquals(from, m.source);
        queue.release(m);
        assertTrue(queue.offer(initiation, from, null), "a released slot takes the next message");
        assertFalse(queue.offer(ByteBuffer.allocate(HandshakeQueue.SLOT_BYTES + 1), from, null), "too long for a handshake");
    }
}
