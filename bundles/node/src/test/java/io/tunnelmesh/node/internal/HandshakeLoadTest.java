package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.support.log.ComponentLog;
import io.tunnelmesh.support.testing.RecordingLog;
import java.nio.ByteBuffer;
import java.util.List;
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
        HandshakeAdmission admission = new HandshakeAdmission(T0, new InitiationShedding(ComponentLog.SILENT));
        MemoryNetwork network = new MemoryNetwork();
        MemoryNetwork.MemoryEndpoint flooder = network.endpoint("203.0.113.9", 7777);
        StubBinding via = new StubBinding("memory", 0, false);
        int admitted = 0;
        long t = T0;
        for (int i = 0; i < 100_000; i++, t += 10_000) { // 100,000 per second for one second
            if (admission.admit(flooder, via, t)) {
                admitted++;
            }
        }
        assertTrue(admitted >= HandshakeAdmission.PER_SECOND && admitted <= HandshakeAdmission.BURST + HandshakeAdmission.PER_SECOND + 1,
                "the flooder's share of a second: " + admitted);
        assertTrue(admission.admit(network.endpoint("198.51.100.7", 51820), via, t), "another host is not held back by the flood");
        assertTrue(admission.admit(network.endpoint("203.0.113.10", 7777), via, t), "nor is its neighbour");
        while (admission.admit(flooder, via, t)) {
            admitted++; // what the last 10 µs refilled
        }
        assertFalse(admission.admit(network.endpoint("203.0.113.9", 7778), via, t), "the flooder from another port is the same host");
        assertEquals(1, via.shedRequests.size(), "a transport that cannot shed was asked once in that second: " + via.shedRequests);
    }

    @Test
    void aHostFarBeyondItsShareIsShedByItsTransportForAWhile() {
        RecordingLog log = new RecordingLog();
        InitiationShedding shedding = new InitiationShedding(log);
        HandshakeAdmission admission = new HandshakeAdmission(T0, shedding);
        MemoryNetwork network = new MemoryNetwork();
        MemoryNetwork.MemoryEndpoint flooder = network.endpoint("203.0.113.9", 7777);
        MemoryNetwork.MemoryEndpoint neighbour = network.endpoint("203.0.113.10", 7777);
        StubBinding via = new StubBinding("memory", 0, true);
        long t = T0;
        int refused = 0;
        long shedAt = 0;
        while (via.shedRequests.isEmpty() && t < T0 + 1000 * MS) { // 100,000 per second
            if (!admission.admit(flooder, via, t)) {
                refused++;
                shedAt = t; // the last refusal is the one that shed it
            }
            t += 10_000;
        }
        assertEquals(HandshakeAdmission.SHED_AFTER, refused, "shed after this many refusals");
        assertEquals(List.of(List.of(flooder)), via.shedRequests, "only the flooder is shed");
        assertTrue(admission.admit(neighbour, via, t), "its neighbour is not held back");

        shedding.expire(shedAt + InitiationShedding.SHED_NANOS - 1);
        assertEquals(1, via.shedRequests.size(), "still shed just before its time is up");
        shedding.expire(shedAt + InitiationShedding.SHED_NANOS);
        assertEquals(List.of(), via.shedRequests.get(1), "then let in again");
        shedding.expire(shedAt + 2 * InitiationShedding.SHED_NANOS);
        assertEquals(2, via.shedRequests.size(), "nothing to tell once nobody is shed");

        long back = shedAt + 3 * InitiationShedding.SHED_NANOS;
        shedding.shed(HandshakeAdmission.Host.of(flooder.dstHostBytes()), flooder, via, back);
        assertEquals(List.of(flooder), via.shedRequests.get(2), "shed again when it floods again");
        assertEquals(1, log.lines().size(), "the operator hears of a flood once a minute: " + log.lines());
        assertTrue(log.has("handshake flood from " + flooder), log.lines().toString());
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
