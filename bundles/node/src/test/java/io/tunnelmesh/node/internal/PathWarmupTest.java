package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.EngineOptions;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up drives the node's real packet classes and engine through a transport, and stops when told to. */
class PathWarmupTest {
    private final MemoryNetwork network = new MemoryNetwork();
    private final EngineOptions options = new EngineOptions(RealEngine.identity(), RealEngine.psk(), InstantSource.system());

    @Test
    void handshakesAndCarriesPacketsBothWaysThroughTheTransport() {
        int roundTrips = new PathWarmup(RealEngine.service(), options, network.transport("192.0.2.50")).run(() -> false);
        assertTrue(roundTrips > 500, "round trips within the budget: " + roundTrips);
        // a handshake (initiation + response) and two data messages per round trip, all on the transport
        assertTrue(network.history.size() >= 2 + 2L * roundTrips, "datagrams on the network: " + network.history.size());
    }

    @Test
    void stopsAsSoonAsItIsCancelled() {
        AtomicInteger checks = new AtomicInteger();
        int roundTrips = new PathWarmup(RealEngine.service(), options, network.transport("192.0.2.50"))
                .run(() -> checks.incrementAndGet() > 40);
        assertTrue(roundTrips < 40, "round trips after cancelling: " + roundTrips);
    }
}
