package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Under load as wireguard-go decides it (an eighth of the handshake queue waiting, held a second), and admission under load. */
class HandshakeLoadTest {
    private static final long MS = 1_000_000L;
    /** System.nanoTime may be negative: the rule must not care. */
    private static final long T0 = -5_000_000_000L;

    @Test
    void aShortQueueIsNotLoadHoweverLongItLasts() {
        HandshakeLoad load = new HandshakeLoad();
        for (int i = 0; i < 10_000; i++) {
            load.queueLength(HandshakeLoad.THRESHOLD - 1, T0 + i * MS);
            assertFalse(load.underLoad(T0 + i * MS));
        }
    }

    @Test
    void aBackloggedQueueTurnsLoadOnAndItEndsOneSecondAfterTheBacklog() {
        HandshakeLoad load = new HandshakeLoad();
        load.queueLength(HandshakeLoad.THRESHOLD, T0);
        assertTrue(load.underLoad(T0));
        long lastBacklog = T0 + 200 * MS;
        load.queueLength(HandshakeLoad.THRESHOLD * 2, lastBacklog);
        load.queueLength(0, lastBacklog + 500 * MS);
        assertTrue(load.underLoad(lastBacklog + 999 * MS), "still under load within the hold time");
        assertFalse(load.underLoad(lastBacklog + HandshakeLoad.HOLD_NANOS));
        assertFalse(load.underLoad(lastBacklog + 5000 * MS));
    }

    @Test
    void aFloodKeptOutOfTheQueueKeepsTheLoadOn() {
        HandshakeLoad load = new HandshakeLoad();
        load.queueLength(HandshakeLoad.THRESHOLD, T0);
        for (long t = T0; t < T0 + 5000 * MS; t += 100 * MS) {
            load.pressure(t);
            assertTrue(load.underLoad(t + 50 * MS), "at " + (t - T0) / MS + " ms");
        }
    }

    @Test
    void underLoadEachHostGetsItsShareAndANewcomerStillGetsIn() throws Exception {
        HandshakeAdmission admission = new HandshakeAdmission(T0);
        MemoryNetwork network = new MemoryNetwork();
        MemoryNetwork.MemoryEndpoint flooder = network.endpoint("203.0.113.9", 7777);
        int admitted = 0;
        long t = T0;
        for (int i = 0; i < 100_000; i++, t += 10_000) { // 100,000 per second for one second
            if (admission.admit(flooder, t)) {
                admitted++;
            }
        }
        assertTrue(admitted >= HandshakeAdmission.PER_SECOND && admitted <= HandshakeAdmission.BURST + HandshakeAdmission.PER_SECOND + 1,
                "the flooder's share of a second: " + admitted);
        assertTrue(admission.admit(network.endpoint("198.51.100.7", 51820), t), "another host is not held back by the flood");
        assertTrue(admission.admit(network.endpoint("203.0.113.10", 7777), t), "nor is its neighbour");
        while (admission.admit(flooder, t)) {
            admitted++; // what the last 10 µs refilled
        }
        assertFalse(admission.admit(network.endpoint("203.0.113.9", 7778), t), "the flooder from another port is the same host");
    }

    @Test
    void theQueueDropsWhatDoesNotFitAndGivesSlotsBack() throws InterruptedException {
        HandshakeQueue queue = new HandshakeQueue();
        ByteBuffer initiation = ByteBuffer.allocate(148);
        initiation.put(0, (byte) 1).put(147, (byte) 7);
        MemoryNetwork.MemoryEndpoint from = new MemoryNetwork().endpoint("192.0.2.9", 51820);
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
