package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.EngineOptions;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up really drives the real engine through a handshake and packets, and stops when told to. */
class EngineWarmupTest {
    private final EngineOptions options = new EngineOptions(RealEngine.identity(), RealEngine.psk(), InstantSource.system());

    @Test
    void completesAHandshakeAndCarriesPacketsBothWays() {
        int roundTrips = new EngineWarmup(RealEngine.service(), options).run(() -> false);
        assertTrue(roundTrips > 1000, "round trips within the budget: " + roundTrips);
    }

    @Test
    void stopsAsSoonAsItIsCancelled() {
        AtomicInteger checks = new AtomicInteger();
        int roundTrips = new EngineWarmup(RealEngine.service(), options).run(() -> checks.incrementAndGet() > 10);
        assertEquals(10, roundTrips);
    }
}
