package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.EngineOptions;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;
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
    void endsWithinItsBudget() {
        long budget = 300_000_000L;
        long start = System.nanoTime();
        int roundTrips = new PathWarmup(RealEngine.service(), options, network.transport("192.0.2.50"), budget)
                .run(() -> false);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(roundTrips > 0, "round trips: " + roundTrips);
        // the budget starts after the handshake (bounded by 2 s); one window may still be waited out after it
        assertTrue(tookMillis < 2_000 + 300 + 500 + 500, "took " + tookMillis + " ms");
    }

    @Test
    void warmUpNodesCarryIpv6AndDropWhatNoPeerRoutes() {
        try (WarmupNode a = node("192.0.2.60", 1);
             WarmupNode b = node("192.0.2.61", 2)) {
            handshake(a, b, true);
            a.send(b.meshV6, 104);
            a.send(b.meshV6, options.mtu());
            a.send(new byte[] {(byte) 198, 51, 100, 7}, 84); // no peer routes it: dropped before sealing
            awaitWritten(b, 3);
            assertEquals(3, b.tun.written.get(), "IPv4 then two IPv6 packets delivered, the unrouted one not");
        }
    }

    @Test
    void aPingIsAnsweredByTheOtherNodesDeviceAndTheAnswerComesBack() {
        try (WarmupNode a = node("192.0.2.66", 1);
             WarmupNode b = node("192.0.2.67", 2)) {
            handshake(a, b, true);
            a.ping(b.meshV4);
            awaitWritten(b, 2);
            awaitWritten(a, 1);
            a.ping(b.meshV6);
            awaitWritten(b, 3);
            awaitWritten(a, 2);
            assertEquals(2, a.tun.written.get(), "the IPv4 and the IPv6 echo reply came back to a");
        }
    }

    @Test
    void aWarmUpNodeWithoutIpv6RoutesDropsIpv6BothWays() {
        try (WarmupNode a = node("192.0.2.64", 1);
             WarmupNode b = node("192.0.2.65", 2)) {
            handshake(a, b, false);
            a.send(b.meshV6, 104); // no IPv6 route in a
            b.send(a.meshV6, 104); // sealed by b, refused by a: b has no IPv6 address a accepts
            b.send(a.meshV4, 84);
            a.send(b.meshV4, 84);
            awaitWritten(a, 1);
            awaitWritten(b, 2);
            assertEquals(1, a.tun.written.get(), "a got b's IPv4 packet only");
            assertEquals(2, b.tun.written.get(), "b got a's two IPv4 packets only");
        }
    }

    @Test
    void aWarmUpNodeOwesAKeepaliveTenSecondsAfterDataItDidNotAnswer() {
        try (WarmupNode a = node("192.0.2.62", 1);
             WarmupNode b = node("192.0.2.63", 2)) {
            handshake(a, b, true);
            long before = a.receivedBytes();
            b.runTimers(System.nanoTime()); // nothing due yet
            assertEquals(before, a.receivedBytes(), "no keepalive before it is due");
            b.runTimers(System.nanoTime() + PathWarmup.KEEPALIVE_OWED_NANOS);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (a.receivedBytes() == before && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(before + 32, a.receivedBytes(), "one keepalive: header and tag, no payload");
            assertEquals(1, b.tun.written.get(), "a keepalive is not written to the TUN device");
        }
    }

    @Test
    void warmUpDevicesComeInThreeClassesSoTheNodesTunCallsStayPolymorphic() {
        Set<Class<?>> classes = new HashSet<>();
        for (int n = 0; n < 6; n++) {
            classes.add(DiscardTun.variant(n, 1420).getClass());
        }
        assertEquals(3, classes.size(), "classes: " + classes);
    }

    /** Warm-up node {@code n} (mesh addresses 192.0.2.n and 2001:db8::n) bound at {@code underlay}. */
    private WarmupNode node(String underlay, int n) {
        return new WarmupNode(RealEngine.service(), options, network.transport(underlay), "192.0.2." + n,
                "2001:db8::" + n, n);
    }

    /** Introduces the nodes to each other and waits for a's first packet, which starts their handshake. */
    private static void handshake(WarmupNode a, WarmupNode b, boolean ipv6) {
        a.introduce(b, ipv6);
        b.introduce(a);
        a.send(b.meshV4, 84);
        awaitWritten(b, 1);
    }

    private static void awaitWritten(WarmupNode node, long count) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (node.tun.written.get() < count && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(node.tun.written.get() >= count, "delivered " + node.tun.written.get() + " of " + count);
    }

    @Test
    void stopsAsSoonAsItIsCancelled() {
        AtomicInteger checks = new AtomicInteger();
        int roundTrips = new PathWarmup(RealEngine.service(), options, network.transport("192.0.2.50"))
                .run(() -> checks.incrementAndGet() > 40);
        assertTrue(roundTrips < 40, "round trips after cancelling: " + roundTrips);
    }
}
