package io.tunnelmesh.node.internal;

import static io.tunnelmesh.node.internal.TunnelTest.assertDelivered;
import static io.tunnelmesh.node.internal.TunnelTest.peer;
import static io.tunnelmesh.node.internal.TunnelTest.resumes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.node.CandidateStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport SPI with more than UDP: an in-memory transport named {@code mem} with endpoints of its own class
 * beside a {@code udp} one (another memory network standing in for it), through the real WireGuard engine.
 */
class SecondTransportTest {
    private final MemoryNetwork mem = new MemoryNetwork("mem");
    private final MemoryNetwork udp = new MemoryNetwork("udp");
    private final PresharedKey psk = RealEngine.psk();
    private final List<TestNode> nodes = new ArrayList<>();

    private TestNode node(MemoryNetwork first, String host, String meshAddress) {
        TestNode n = RealEngine.node(first, host, meshAddress, psk);
        nodes.add(n);
        return n;
    }

    @AfterEach
    void close() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void peersConfiguredOnlyWithMemEndpointsTalkOverMemWhileUdpIsBoundToo() throws Exception {
        TestNode a = node(mem, "192.0.2.1", "10.99.0.1");
        TestNode b = node(mem, "192.0.2.2", "10.99.0.2");
        MemoryNetwork.MemoryTransport udpA = udp.transport("192.0.2.1");
        MemoryNetwork.MemoryTransport udpB = udp.transport("192.0.2.2");
        a.offer(udpA, 0);
        b.offer(udpB, 0);
        TestNode.introduce(a, b);
        for (int i = 0; i < 20; i++) {
            assertDelivered(a, b, "ping " + i);
            assertDelivered(b, a, "pong " + i);
        }
        assertEquals(List.of("mem", "udp"), a.plane.status("t").transports());
        assertEquals("up", a.plane.status("t").state());
        assertEquals(b.underlay, peer(a, b).endpoint());
        assertEquals("mem:192.0.2.2:51820", peer(a, b).endpoint().toString());
        assertEquals(0, udpA.sent.get() + udpB.sent.get(), "nothing goes over udp");
        assertTrue(a.transport.sent.get() >= 20 && b.transport.sent.get() >= 20);
    }

    @Test
    void aPeerWaitsForAMissingTransportUsesTheNextAndPrefersItOnceItIsInstalled() throws Exception {
        TestNode a = node(udp, "192.0.2.1", "10.99.0.1");
        TestNode b = node(udp, "192.0.2.2", "10.99.0.2");
        a.knowsAt(b, "mem:192.0.2.2:51820, 192.0.2.2:51820");
        b.knowsAt(a, "mem:192.0.2.1:51820, 198.51.100.7:51820"); // a's udp address moved since b was configured
        assertEquals(List.of(CandidateStatus.State.WAITING, CandidateStatus.State.USABLE),
                peer(a, b).candidates().stream().map(CandidateStatus::state).toList());
        assertEquals(1, a.log.lines().stream().filter(l -> l.contains("waits for transport mem")).count(), a.log.toString());
        assertDelivered(a, b, "over udp meanwhile");
        assertDelivered(b, a, "and back, where a roamed to");
        assertEquals("udp:192.0.2.2:51820", peer(a, b).endpoint().toString());
        assertEquals("udp:192.0.2.1:51820", peer(b, a).endpoint().toString(), "b follows a to its real address");

        MemoryNetwork.MemoryTransport memA = mem.transport("192.0.2.1");
        MemoryNetwork.MemoryTransport memB = mem.transport("192.0.2.2");
        a.offer(memA, 0);
        b.offer(memB, 0);
        assertEquals("mem:192.0.2.2:51820", peer(a, b).endpoint().toString(), "the preferred transport takes the path over");
        assertEquals("mem:192.0.2.1:51820", peer(b, a).endpoint().toString(), "even from where a roamed to");
        long overUdp = a.transport.sent.get() + b.transport.sent.get();
        for (int i = 0; i < 10; i++) {
            assertDelivered(a, b, "ping " + i);
            assertDelivered(b, a, "pong " + i);
        }
        assertEquals(overUdp, a.transport.sent.get() + b.transport.sent.get(), "nothing more over udp");
        assertTrue(memA.sent.get() >= 10 && memB.sent.get() >= 10);
        assertEquals("mem:192.0.2.1:51820", peer(b, a).endpoint().toString(), "b still sends to a over mem");
    }

    @Test
    void ofTwoTransportsWithOneNameTheHigherRankedCarriesTheTrafficAndTheOtherTakesOverWhenItGoes() throws Exception {
        TestNode a = node(mem, "192.0.2.1", "10.99.0.1");
        TestNode b = node(mem, "192.0.2.2", "10.99.0.2");
        TestNode.introduce(a, b);
        assertDelivered(a, b, "over the only mem service");
        MemoryNetwork.MemoryTransport low = a.transport;
        MemoryNetwork.MemoryTransport high = mem.transport("192.0.2.1");
        a.offer(high, 10);
        assertTrue(a.log.lines().contains("INFO transport mem: a service with service.ranking 10 replaces the one with 0"), a.log.toString());
        MemoryNetwork.MemoryTransport lower = mem.transport("192.0.2.1");
        a.offer(lower, -5);
        assertEquals(0, lower.binds.get(), "a lower-ranked arrival is not bound");

        resumes(a, b, 2000);
        long lowSent = low.sent.get();
        for (int i = 0; i < 10; i++) {
            assertDelivered(a, b, "ping " + i);
            assertDelivered(b, a, "pong " + i);
        }
        assertEquals(lowSent, low.sent.get(), "the lower-ranked service carries nothing");
        assertTrue(high.sent.get() >= 10, "sent over the higher-ranked one: " + high.sent.get());

        a.plane.withdrawTransport(high);
        assertEquals(2, low.binds.get(), "the next best is bound again");
        long highSent = high.sent.get();
        resumes(a, b, 2000);
        assertDelivered(b, a, "and back");
        assertEquals(highSent, high.sent.get());
        assertTrue(low.sent.get() > lowSent, "the remaining service carries the traffic");
        assertEquals(0, lower.binds.get(), "of the two left, the better one");
    }
}
