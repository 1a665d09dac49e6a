package io.tunnelmesh.node.internal;

import static io.tunnelmesh.node.internal.TunnelTest.assertDelivered;
import static io.tunnelmesh.node.internal.TunnelTest.peer;
import static io.tunnelmesh.node.internal.TunnelTest.resumes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.node.PingReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Path selection between nodes with the real WireGuard engine: a {@code udp} memory network carries the direct
 * paths (its {@link MemoryNetwork.Link} blocks them or filters like home routers), a {@code relay} memory network
 * whose endpoints say {@code relayed()} stands in for the relay. Candidates are listed as the coordinator client
 * lists them: direct first, relay last.
 */
class PathSelectionTest {
    private final MemoryNetwork udp = new MemoryNetwork("udp");
    private final MemoryNetwork relay = new MemoryNetwork("relay", true);
    private final PresharedKey psk = RealEngine.psk();
    private final List<TestNode> nodes = new ArrayList<>();
    private final java.util.Map<TestNode, MemoryNetwork.MemoryTransport> relays = new ConcurrentHashMap<>();

    private TestNode node(String host, String meshAddress) {
        TestNode n = RealEngine.node(udp, host, meshAddress, psk);
        MemoryNetwork.MemoryTransport r = relay.transport(host);
        n.offer(r, 0);
        relays.put(n, r);
        nodes.add(n);
        return n;
    }

    /** Each knows the other at its udp address and through the relay, in the coordinator's order. */
    private static void introduce(TestNode x, TestNode y) {
        x.knowsAt(y, candidates(y));
        y.knowsAt(x, candidates(x));
    }

    private static String candidates(TestNode n) {
        return "udp:" + n.underlay.host() + ":51820, relay:" + n.underlay.host() + ":51820";
    }

    @AfterEach
    void close() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void theFirstPacketGoesThroughTheRelayAtOnceThenThePathMovesToTheDirectCandidateThatAnswers() throws Exception {
        TestNode a = node("203.0.113.1", "10.99.0.1");
        TestNode b = node("203.0.113.2", "10.99.0.2");
        introduce(a, b);
        assertTrue(peer(a, b).endpoint().relayed(), "relay first: " + peer(a, b));
        long start = System.nanoTime();
        assertDelivered(a, b, "first packet");
        assertTrue(relayTraffic(a, b) > 0, "the handshake went through the relay");
        long firstMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(firstMillis < 1000, "first packet took " + firstMillis + " ms");

        awaitPath(a, b, "direct udp:203.0.113.2:51820", 3000);
        awaitPath(b, a, "direct udp:203.0.113.1:51820", 3000);
        PeerStatus s = peer(a, b);
        assertTrue(s.rttNanos() >= 0, "rtt measured: " + s);
        assertEquals("", s.whyRelayed());
        long relayed = relayTraffic(a, b);
        for (int i = 0; i < 10; i++) {
            assertDelivered(a, b, "ping " + i);
            assertDelivered(b, a, "pong " + i);
        }
        // 20 packets went; a path message already on its way (a call-me-maybe, a pong owed through the relay) may still
        // cross the relay, data may not
        long late = relayTraffic(a, b) - relayed;
        assertTrue(late <= 2, "data goes direct once the probes answered: " + late + " datagrams through the relay");
    }

    @Test
    void twoHomeRoutersLetTheProbesInOnceBothHostsProbedEachOther() throws Exception {
        TestNode a = node("203.0.113.1", "10.99.0.1");
        TestNode b = node("203.0.113.2", "10.99.0.2");
        udp.link = homeRouters(host -> true);
        introduce(a, b);
        assertDelivered(a, b, "first packet, through the relay");
        awaitPath(a, b, "direct udp:203.0.113.2:51820", 5000);
        awaitPath(b, a, "direct udp:203.0.113.1:51820", 5000);
        assertDelivered(b, a, "direct");
    }

    @Test
    void peersBehindOneRouterUseTheirLanAddressesWhileAThirdNodeBehindAnotherNatIsReachedThroughTheRelay() throws Exception {
        TestNode a = node("192.168.1.2", "10.99.0.1");
        TestNode b = node("192.168.1.3", "10.99.0.2");
        TestNode c = node("203.0.113.3", "10.99.0.3");
        // the LAN reaches itself; between it and c nothing gets through (the router's public address, as the
        // coordinator saw it, has no hairpin and c's NAT gives a new port per destination)
        udp.link = (from, to) -> from.host().startsWith("192.168.") == to.host().startsWith("192.168.")
                && !to.host().equals("203.0.113.3") && !from.host().equals("203.0.113.3");
        String aSeen = "udp:198.51.100.1:40001, udp:192.168.1.2:51820, relay:192.168.1.2:51820";
        String bSeen = "udp:198.51.100.1:40002, udp:192.168.1.3:51820, relay:192.168.1.3:51820";
        a.knowsAt(b, bSeen);
        b.knowsAt(a, aSeen);
        a.knowsAt(c, candidates(c));
        c.knowsAt(a, aSeen);
        b.knowsAt(c, candidates(c));
        c.knowsAt(b, bSeen);
        assertDelivered(a, b, "a to b");
        assertDelivered(a, c, "a to c");
        assertDelivered(c, b, "c to b");
        awaitPath(a, b, "direct udp:192.168.1.3:51820", 3000);
        awaitPath(b, a, "direct udp:192.168.1.2:51820", 3000);
        Thread.sleep(2500); // the relayed peers' probe rounds
        assertEquals("relay relay:203.0.113.3:51820", path(peer(a, c).endpoint()));
        assertEquals("1 candidate tried, no answer", peer(a, c).whyRelayed());
        assertEquals("relay relay:192.168.1.3:51820", path(peer(c, b).endpoint()));
        assertEquals("2 candidates tried, no answer", peer(c, b).whyRelayed());
        assertDelivered(b, c, "b to c");
        assertDelivered(c, a, "c to a");
        assertDelivered(b, a, "b to a");
    }

    @Test
    void aRelayThatDoesNotAnswerKeepsNoPeerFromItsDirectCandidate() throws Exception {
        TestNode a = node("203.0.113.1", "10.99.0.1");
        TestNode b = node("203.0.113.2", "10.99.0.2");
        relay.link = (from, to) -> false; // the relay server is down
        introduce(a, b);
        long millis = resumes(a, b, 7000); // the engine's second initiation, 5 s on, also tries the direct candidate
        System.out.println("path: relay down, first packet went direct after " + millis + " ms");
        assertEquals("direct udp:203.0.113.2:51820", path(peer(a, b).endpoint()));
        assertDelivered(b, a, "and back");
    }

    @Test
    void whenNoDirectCandidateAnswersThePeerStaysOnTheRelayAndSaysWhy() throws Exception {
        TestNode a = node("203.0.113.1", "10.99.0.1");
        TestNode b = node("203.0.113.2", "10.99.0.2");
        udp.link = (from, to) -> false; // e.g. a new port per destination on both routers
        introduce(a, b);
        assertDelivered(a, b, "through the relay");
        assertDelivered(b, a, "and back");
        Thread.sleep(2500); // a probe round or two
        PeerStatus s = peer(a, b);
        assertTrue(s.endpoint().relayed(), s.toString());
        assertEquals("1 candidate tried, no answer", s.whyRelayed());
        assertDelivered(a, b, "still through the relay");
    }

    @Test
    void aLostDirectPathFallsBackToTheRelayWithinThreeSecondsAndComesBackWhenItAnswers() throws Exception {
        TestNode[] pair = directPair();
        TestNode a = pair[0];
        TestNode b = pair[1];

        udp.link = (from, to) -> false; // UDP between the routers dropped while pinging
        long ab = resumes(a, b, 3000);
        long ba = resumes(b, a, 3000);
        assertTrue(peer(a, b).endpoint().relayed(), peer(a, b).toString());
        assertTrue(peer(a, b).whyRelayed().startsWith("direct path lost "), peer(a, b).whyRelayed());
        System.out.println("path: direct lost, a→b resumed through the relay in " + ab + " ms, b→a " + ba + " ms later");

        udp.link = (from, to) -> true;
        awaitPath(a, b, "direct udp:203.0.113.2:51820", 5000);
        awaitPath(b, a, "direct udp:203.0.113.1:51820", 5000);
        assertDelivered(a, b, "direct again");
    }

    @Test
    void aRoamingPeerIsFollowedToItsNewAddress() throws Exception {
        TestNode[] pair = directPair();
        TestNode a = pair[0];
        TestNode b = pair[1];

        // b's router gives it a new public address, like a laptop changing networks
        b.plane.withdrawTransport(b.transport);
        b.offer(udp.transport("198.51.100.2"), 0);
        long start = System.nanoTime();
        resumes(b, a, 3000);
        awaitPath(a, b, "direct udp:198.51.100.2:51820", 3000 - (System.nanoTime() - start) / 1_000_000);
        assertDelivered(a, b, "a answers at b's new address");
    }

    @Test
    void anUnauthenticatedDatagramFromANewSourceNeverMovesThePath() throws Exception {
        TestNode a = node("203.0.113.1", "10.99.0.1");
        TestNode b = node("203.0.113.2", "10.99.0.2");
        introduce(a, b);
        assertDelivered(a, b, "first packet");
        awaitPath(b, a, "direct udp:203.0.113.1:51820", 3000);
        List<byte[]> captured = new ArrayList<>(udp.history);
        MemoryNetwork.MemoryEndpoint attacker = udp.endpoint("198.51.100.66", 4444);
        MemoryNetwork.MemoryEndpoint relayAttacker = relay.endpoint("198.51.100.66", 4444);
        for (byte[] d : captured) { // replays of genuine data, probes and handshakes
            udp.inject(b.underlay, d, attacker);
            relay.inject(relay.endpoint(b.underlay.host(), 51820), d, relayAttacker);
        }
        byte[] forged = captured.get(captured.size() - 1).clone();
        forged[forged.length - 1] ^= 1; // a tampered tag
        udp.inject(b.underlay, forged, attacker);
        assertDelivered(a, b, "after the replays");
        assertEquals("udp:203.0.113.1:51820", peer(b, a).endpoint().toString());
        assertDelivered(b, a, "b still answers at a's real address");
    }

    @Test
    void aGenuinePongRacedFromAnotherAddressDoesNotMoveThePathThere() throws Exception {
        TestNode a = node("203.0.113.1", "10.99.0.1");
        TestNode b = node("203.0.113.2", "10.99.0.2");
        udp.link = (from, to) -> !from.host().equals("203.0.113.2"); // b's answers never arrive directly: an attacker has them
        introduce(a, b);
        assertDelivered(a, b, "first packet, through the relay");
        Thread.sleep(300); // a probe round each: b's pongs and pings are captured, undelivered
        MemoryNetwork.MemoryEndpoint attacker = udp.endpoint("198.51.100.66", 4444);
        for (byte[] d : new ArrayList<>(udp.history)) { // delivered for the first time, from the attacker's address
            udp.inject(a.underlay, d, attacker);
        }
        assertDelivered(b, a, "after the raced pongs");
        assertTrue(peer(a, b).endpoint().relayed(), "the attacker's address did not become b's path: " + peer(a, b));
    }

    @Test
    void aPingThroughTheTunnelReportsThePathAndTheRoundTrip() throws Exception {
        TestNode[] pair = directPair();
        TestNode a = pair[0];
        TestNode b = pair[1];
        PingReply r = a.plane.ping(b.key, 1_000_000_000L);
        assertNotNull(r, "a pong within 1 s");
        assertEquals("udp:203.0.113.2:51820", r.via().toString());
        assertFalse(r.via().relayed());
        assertTrue(r.rttNanos() > 0 && r.rttNanos() < 1_000_000_000L, "rtt " + r.rttNanos());

        udp.link = (from, to) -> false;
        relay.link = (from, to) -> false;
        assertEquals(null, a.plane.ping(b.key, 300_000_000L), "no pong: timeout");
    }

    /** Home routers: a host's router lets a datagram in only from where that host sent one before. */
    private static MemoryNetwork.Link homeRouters(Predicate<String> behindRouter) {
        Set<String> opened = ConcurrentHashMap.newKeySet();
        return (from, to) -> {
            opened.add(from.host() + ">" + to.host());
            return !behindRouter.test(to.host()) || opened.contains(to.host() + ">" + from.host());
        };
    }

    /** Datagrams the two sent through the relay. */
    private long relayTraffic(TestNode x, TestNode y) {
        return relays.get(x).sent.get() + relays.get(y).sent.get();
    }

    /** Waits until {@code node}'s path to {@code peer} reads {@code expected} ("direct ENDPOINT" or "relay ENDPOINT"). */
    static void awaitPath(TestNode node, TestNode peer, String expected, long withinMillis) throws InterruptedException {
        long deadline = System.nanoTime() + withinMillis * 1_000_000L;
        String actual;
        do {
            actual = path(peer(node, peer).endpoint());
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("path of " + node.meshAddress + " to " + peer.meshAddress + " is '" + actual + "', not '" + expected
                + "' after " + withinMillis + " ms: " + peer(node, peer));
    }

    static String path(Endpoint e) {
        return e == null ? "none" : (e.relayed() ? "relay " : "direct ") + e;
    }

    /** Two nodes with a relay and open UDP between them, past their first packet and on the direct path both ways. */
    private TestNode[] directPair() throws Exception {
        TestNode a = node("203.0.113.1", "10.99.0.1");
        TestNode b = node("203.0.113.2", "10.99.0.2");
        introduce(a, b);
        assertDelivered(a, b, "first packet");
        awaitPath(a, b, "direct udp:203.0.113.2:51820", 3000);
        awaitPath(b, a, "direct udp:203.0.113.1:51820", 3000);
        return new TestNode[] {a, b};
    }
}
