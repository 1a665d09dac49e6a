package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.control.Bye;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import io.tunnelmesh.control.PeerMap;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import io.tunnelmesh.control.Welcome;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorServerTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    /** The online flag alone goes out with the presence batch (Limits.presenceDelay, 1 s), so allow that and more. */
    private static final Duration PRESENCE = Limits.defaults().presenceDelay().plus(ONE_SECOND);

    @TempDir
    Path dir;
    private TestCoordinator c;

    @BeforeEach
    void start() throws Exception {
        c = new TestCoordinator(dir);
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
    }

    @Test
    void joinWithTokenGivesAddressesAndPskAndTheTokenCannotBeUsedTwice() throws Exception {
        String token = c.token(false);
        TestNode a = new TestNode("laptop.example.net");
        Welcome yes = a.join(c, token, null);
        assertNull(yes.error(), yes.error());
        assertEquals("laptop", yes.self().name(), "name from the hostname's first label");
        assertEquals(a.publicKey().toBase64(), yes.self().publicKey());
        assertTrue(IpPrefix.parse("100.64.0.0/16").contains(InetAddress.getByName(yes.self().ipv4())));
        assertTrue(IpPrefix.parse(yes.ipv6Prefix()).contains(InetAddress.getByName(yes.self().ipv6())));
        assertEquals("100.64.0.0/16", yes.ipv4Cidr());
        assertFalse(PresharedKey.parse(yes.meshPsk()).isNone());
        assertEquals(List.of("127.0.0.1:51820"), yes.self().endpoints(), "the observed address with the listen port");

        Welcome no = new TestNode("desktop").join(c, token, null);
        assertEquals("TOKEN_USED", no.errorCode(), no.error());
        assertNotNull(no.error());
        assertEquals(1, c.coordinator.nodes().size(), "the refused node was not registered");
    }

    @Test
    void explicitNameMustBeADnsLabel() throws Exception {
        Welcome no = new TestNode("x").join(c, c.token(true), "Bad_Name");
        assertEquals("BAD_HELLO", no.errorCode());
        assertTrue(no.error().contains("DNS label"), no.error());
        Welcome yes = new TestNode("x").join(c, c.token(true), "web-1");
        assertEquals("web-1", yes.self().name());
    }

    @Test
    void connectGetsTheMapAndASecondJoinArrivesAsADeltaWithinOneSecond() throws Exception {
        String token = c.token(true);
        TestNode a = new TestNode("alpha");
        a.join(c, token, null);
        try (TestNode.Link link = a.connect(c)) {
            assertNull(link.welcome.error(), link.welcome.error());
            assertEquals("alpha", link.welcome.self().name());
            PeerMap map = link.next(PeerMap.class, ONE_SECOND);
            assertEquals(List.of(a.publicKey().toBase64()), map.peers().stream().map(NodeEntry::publicKey).toList(),
                    "the map holds every member, the client skips itself");

            TestNode b = new TestNode("bravo");
            long joined = System.nanoTime();
            b.join(c, token, null);
            NodeEntry seen = awaitChange(link, b, ONE_SECOND);
            assertTrue(System.nanoTime() - joined < ONE_SECOND.toNanos());
            assertEquals("bravo", seen.name());
            assertFalse(seen.online());
        }
    }

    @Test
    void connectOfAnUnknownKeyIsRefused() throws Exception {
        try (TestNode.Link link = new TestNode("stranger").connect(c)) {
            assertEquals("NOT_A_MEMBER", link.welcome.errorCode());
        }
    }

    @Test
    void endpointChangesReachTheOtherMembersWithTheObservedAddressFirst() throws Exception {
        String token = c.token(true);
        TestNode a = new TestNode("alpha");
        TestNode b = new TestNode("bravo");
        a.join(c, token, null);
        b.join(c, token, null);
        try (TestNode.Link la = a.connect(c); TestNode.Link lb = b.connect(c)) {
            la.next(PeerMap.class, ONE_SECOND);
            assertTrue(awaitChange(la, b, NodeEntry::online, PRESENCE).online(), "b's connect shows as online");

            lb.send(new EndpointsReport(40000, List.of("10.1.2.3:40000", "127.0.0.1:40000", "not an endpoint")));
            NodeEntry moved = awaitChange(la, b, e -> e.endpoints().contains("10.1.2.3:40000"), ONE_SECOND);
            assertEquals(List.of("127.0.0.1:40000", "10.1.2.3:40000"), moved.endpoints());
        }
        // The store's writer thread commits the report on its own schedule, after the fan-out: wait for it, bounded.
        List<String> expected = List.of("127.0.0.1:40000", "10.1.2.3:40000");
        long deadline = System.nanoTime() + ONE_SECOND.toNanos();
        List<String> stored = c.store.node(b.publicKey()).orElseThrow().endpoints();
        while (!stored.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            stored = c.store.node(b.publicKey()).orElseThrow().endpoints();
        }
        assertEquals(expected, stored, "recorded in the store too");
    }

    @Test
    void pingIsAnswered() throws Exception {
        TestNode a = new TestNode("alpha");
        a.join(c, c.token(false), null);
        try (TestNode.Link link = a.connect(c)) {
            link.send(new Ping(42));
            assertEquals(42, link.next(Pong.class, ONE_SECOND).nonce());
        }
    }

    @Test
    void nodeRemoveTellsEveryoneAtOnceSaysByeAndTheNodeCannotComeBack() throws Exception {
        String token = c.token(true);
        TestNode a = new TestNode("alpha");
        TestNode b = new TestNode("bravo");
        a.join(c, token, null);
        b.join(c, token, null);
        try (TestNode.Link la = a.connect(c); TestNode.Link lb = b.connect(c)) {
            la.next(PeerMap.class, ONE_SECOND);
            lb.next(PeerMap.class, ONE_SECOND);
            awaitChange(la, b, NodeEntry::online, PRESENCE);

            c.coordinator.removeNode("bravo");
            PeerDelta removal = awaitRemoval(la, Duration.ofMillis(500));
            assertEquals(List.of(b.publicKey().toBase64()), removal.removed());
            assertNotNull(lb.next(Bye.class, ONE_SECOND).reason());
            assertNull(lb.next(ONE_SECOND), "the coordinator closes the removed node's connection");
        }
        try (TestNode.Link again = b.connect(c)) {
            assertEquals("NOT_A_MEMBER", again.welcome.errorCode());
        }
        Welcome rejoin = b.join(c, token, null);
        assertEquals("NODE_REMOVED", rejoin.errorCode(), rejoin.error());
        assertThrows(IllegalArgumentException.class, () -> c.coordinator.removeNode("bravo"));
    }

    @Test
    void revokedTokenIsRefused() throws Exception {
        String token = c.token(true);
        String id = io.tunnelmesh.control.JoinToken.parse(token).tokenId();
        assertTrue(c.coordinator.revokeToken(id));
        Welcome no = new TestNode("x").join(c, token, null);
        assertEquals("TOKEN_REVOKED", no.errorCode());
    }

    @Test
    void membersSurviveARestartAndReconnect() throws Exception {
        TestNode a = new TestNode("alpha");
        a.join(c, c.token(false), null);
        c.close();
        c = new TestCoordinator(dir);
        try (TestNode.Link link = a.connect(c)) {
            assertNull(link.welcome.error(), link.welcome.error());
            assertEquals(1, link.next(PeerMap.class, ONE_SECOND).peers().size());
        }
    }

    private static NodeEntry awaitChange(TestNode.Link link, TestNode node, Duration timeout) throws Exception {
        return awaitChange(link, node, e -> true, timeout);
    }

    /** The first delta entry about {@code node} that matches (earlier ones, e.g. its join, are skipped). */
    private static NodeEntry awaitChange(TestNode.Link link, TestNode node, java.util.function.Predicate<NodeEntry> wanted,
            Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            PeerDelta delta = link.next(PeerDelta.class, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            for (NodeEntry e : delta.changed()) {
                if (e.publicKey().equals(node.publicKey().toBase64()) && wanted.test(e)) {
                    return e;
                }
            }
        }
        throw new AssertionError("no delta about " + node.hostname + " within " + timeout.toMillis() + " ms");
    }

    private static PeerDelta awaitRemoval(TestNode.Link link, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ControlMessage m = link.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (m instanceof PeerDelta d && !d.removed().isEmpty()) {
                return d;
            }
        }
        throw new AssertionError("no removal within " + timeout.toMillis() + " ms");
    }
}
