package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HandshakeLoadTest {
    private static final long US = 1_000L;
    private static final long MS = 1_000_000L;

    @Test
    void aFewCheapInitiationsAreNotLoad() {
        HandshakeLoad load = new HandshakeLoad(0);
        for (int i = 0; i < HandshakeLoad.MAX_INITIATIONS; i++) {
            assertNull(load.initiationProcessed(i * MS, 100 * US, i * MS + 100 * US));
        }
        assertFalse(load.underLoad());
    }

    @Test
    void manyInitiationsTurnLoadOnAndItEndsOneSecondAfterTheFlood() {
        HandshakeLoad load = new HandshakeLoad(0);
        Boolean changed = null;
        long t = 0;
        int i = 0;
        while (changed == null) {
            changed = load.initiationProcessed(t, 10 * US, t + 10 * US);
            t += 20 * US;
            i++;
        }
        assertEquals(Boolean.TRUE, changed);
        assertEquals(HandshakeLoad.MAX_INITIATIONS + 1, i);
        assertNull(load.update(t + 900 * MS), "still under load within the hold time");
        assertEquals(Boolean.FALSE, load.update(t + 1001 * MS));
        assertNull(load.update(t + 1100 * MS));
    }

    @Test
    void slowInitiationsAtALowRateAreLoadToo() {
        HandshakeLoad load = new HandshakeLoad(0);
        long t = 0;
        for (int i = 1; i < HandshakeLoad.MIN_BUSY_INITIATIONS; i++) {
            assertNull(load.initiationProcessed(t, 2 * MS, t + 2 * MS), "initiation " + i);
            t += 2 * MS;
        }
        assertEquals(Boolean.TRUE, load.initiationProcessed(t, 2 * MS, t + 2 * MS), "16 initiations took 32 ms of CPU in 100 ms");
        assertTrue(load.underLoad());
    }

    @Test
    void oneSlowInitiationIsNotLoad() {
        HandshakeLoad load = new HandshakeLoad(0);
        assertNull(load.initiationProcessed(0, 25 * MS, 25 * MS), "cold code after a bundle update");
        assertNull(load.initiationProcessed(30 * MS, 1 * MS, 80 * MS), "preempted: 50 ms wall, 1 ms CPU");
        assertFalse(load.underLoad());
    }

    @Test
    void onlyInitiationsAreCounted() {
        ByteBuffer initiation = ByteBuffer.allocate(148);
        initiation.put(0, (byte) 1);
        ByteBuffer response = ByteBuffer.allocate(92);
        response.put(0, (byte) 2);
        ByteBuffer wrongLength = ByteBuffer.allocate(147);
        wrongLength.put(0, (byte) 1);
        assertTrue(HandshakeLoad.isInitiation(initiation));
        assertFalse(HandshakeLoad.isInitiation(response));
        assertFalse(HandshakeLoad.isInitiation(wrongLength));
    }
}
