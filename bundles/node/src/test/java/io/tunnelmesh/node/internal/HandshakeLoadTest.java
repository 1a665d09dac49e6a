package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class HandshakeLoadTest {
    private static final long MS = 1_000_000L;

    private static ByteBuffer initiation() {
        ByteBuffer b = ByteBuffer.allocate(148);
        b.put(0, (byte) 1);
        return b;
    }

    @Test
    void aFewInitiationsAreNotLoad() {
        HandshakeLoad load = new HandshakeLoad(0);
        for (int i = 0; i < HandshakeLoad.THRESHOLD; i++) {
            assertNull(load.observe(initiation(), i * MS));
        }
    }

    @Test
    void aFloodTurnsLoadOnAndItEndsOneSecondAfterTheFlood() {
        HandshakeLoad load = new HandshakeLoad(0);
        Boolean changed = null;
        int i = 0;
        while (changed == null) {
            changed = load.observe(initiation(), i++ * 10_000L);
        }
        assertEquals(Boolean.TRUE, changed);
        assertEquals(HandshakeLoad.THRESHOLD + 1, i);
        long floodEnd = i * 10_000L;
        ByteBuffer data = ByteBuffer.allocate(64);
        assertNull(load.observe(data, floodEnd + 900 * MS), "still under load within the hold time");
        assertEquals(Boolean.FALSE, load.observe(data, floodEnd + 1001 * MS));
        assertNull(load.observe(data, floodEnd + 1100 * MS));
    }

    @Test
    void otherMessagesDoNotCount() {
        HandshakeLoad load = new HandshakeLoad(0);
        ByteBuffer response = ByteBuffer.allocate(92);
        response.put(0, (byte) 2);
        ByteBuffer wrongLength = ByteBuffer.allocate(147);
        wrongLength.put(0, (byte) 1);
        for (int i = 0; i < 10 * HandshakeLoad.THRESHOLD; i++) {
            assertNull(load.observe(response, i));
            assertNull(load.observe(wrongLength, i));
        }
    }
}
