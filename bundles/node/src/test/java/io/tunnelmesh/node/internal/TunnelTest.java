package io.tunnelmesh.node.internal;

import static io.tunnelmesh.node.internal.RoutingTest.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.api.node.PeerStatus;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two or three nodes wired through in-memory TUN devices and network, speaking the real WireGuard protocol. */
class TunnelTest {
    private final MemoryNetwork network = new MemoryNetwork();
    private final PresharedKey mesh = RealEngine.psk();
    private final List<TestNode> nodes = new ArrayList<>();

    private TestNode node(String host, String meshAddress, PresharedKey psk) {
        TestNode n = RealEngine.node(network, host, meshAddress, psk);
        nodes.add(n);
        return n;
    }

    /** Two nodes of the mesh that know each other and have exchanged a first packet. */
    private TestNode[] connectedPair() throws InterruptedException {
        TestNode a = node("192.0.2.1", "10.99.0.1", mesh);
        TestNode b = node("192.0.2.2", "10.99.0.2", mesh);
        TestNode.introduce(a, b);
        assertDelivered(a, b, "first packet");
        return new TestNode[] {a, b};
    }

    @AfterEach
    void close() {
        nodes.forEach(TestNode::close);
    }

    static void assertDelivered(TestNode from, TestNode to, String payload) throws InterruptedException {
        byte[] sent = from.sendTo(to.meshAddress, payload);
        assertArrayEquals(sent, to.tun.written(3000), payload + " from " + from.meshAddress + " to " + to.meshAddress);
    }

    /** Like a ping every 100 ms: the first packets after a replacement may be lost, traffic must resume. */
    static long resumes(TestNode from, TestNode to, long withinMillis) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + withinMillis * 1_000_000L;
        int seq = 0;
        while (System.nanoTime() < deadline) {
            byte[] sent = from.sendTo(to.meshAddress, "ping " + seq++);
            byte[] got;
            while ((got = to.tun.written(100)) != null) {
                if (Arrays.equals(sent, got)) {
                    return (System.nanoTime() - start) / 1_000_000L;
                }
            }
        }
        throw new AssertionError("traffic from " + from.meshAddress + " to " + to.meshAddress + " did not resume within " + withinMillis
                + " ms; sender " + from.plane.status("t") + from.plane.peerStatus() + "; receiver " + to.plane.status("t") + to.plane.peerStatus());
    }

    static PeerStatus peer(TestNode node, TestNode peer) {
        return node.plane.peerStatus().stream().filter(p -> p.publicKey().equals(peer.key)).findFirst().orElseThrow();
    }

    @Test
    void firstPacketIsQueuedDuringTheHandshakeThenBothWaysWork() throws Exception {
        TestNode a = node("192.0.2.1", "10.99.0.1", mesh);
        TestNode b = node("192.0.2.2", "10.99.0.2", mesh);
        TestNode.introduce(a, b);
        assertDelivered(a, b, "first, queued while a and b handshake");
        assertDelivered(b, a, "reply");
        for (int i = 0; i < 50; i++) {
            assertDelivered(a, b, "ping " + i);
        }
        PeerStatus ab = peer(a, b);
        assertNotNull(ab.latestHandshake());
        assertTrue(ab.txBytes() > 0 && ab.rxBytes() > 0, ab.toString());
        assertEquals("up", a.plane.status("t").state());
    }

    @Test
    void timerThreadSendsPersistentKeepalives() throws Exception {
        TestNode[] ab = connectedPair();
        TestNode a = ab[0];
        TestNode b = ab[1];
        a.plane.putPeer(new PeerConfig(b.key, List.of(b.spec()), List.of(IpPrefix.parse("10.99.0.2/32")), 1));
        long before = peer(b, a).rxBytes();
        Thread.sleep(3500);
        long keepalives = (peer(b, a).rxBytes() - before) / 32; // a keepalive is a 32-byte data message
        assertTrue(keepalives >= 2 && keepalives <= 5, "keepalives from a in 3.5 s at 1 s: " + keepalives);
    }

    /**
     * A node joining a mesh on a busy machine gets its peers from the coordinator (with a persistent keepalive)
     * seconds before its UDP transport is bound. The handshake the keepalive asks for must wait for the transport:
     * an initiation made without one is lost, and the engine retries only 5 s later (REKEY_TIMEOUT).
     */
    @Test
    void aKeepalivePeerLearnedBeforeTheTransportIsBoundHandshakesOnceItIs() throws Exception {
        TestNode a = node("192.0.2.1", "10.99.0.1", mesh);
        TestNode b = node("192.0.2.2", "10.99.0.2", mesh);
        a.knows(b);
        b.plane.withdrawTransport(b.transport);
        b.plane.putPeer(new PeerConfig(a.key, List.of(a.spec()), List.of(IpPrefix.parse("10.99.0.1/32")), 25));
        Thread.sleep(2 * PeerTimers.MAX_SLEEP_NANOS / 1_000_000L); // the timer thread looks at the new peer
        b.offer(network.transport("192.0.2.2"), 0);
        long start = System.nanoTime();
        eventually("b's handshake with a", () -> peer(b, a).latestHandshake() != null ? 1 : 0, 1);
        long millis = (System.nanoTime() - start) / 1_000_000L;
        assertTrue(millis < 1000, "handshake " + millis + " ms after b's transport was bound (the retry is 5 s)");
        assertDelivered(b, a, "first packet");
    }

    /**
     * What TUN offload relies on: the segments of one read leave in one transport flush, and what arrives in
     * one receive batch reaches the TUN device in one write, in order and with nothing lost.
     */
    @Test
    void aBatchReadFromTheTunArrivesAsOneBatchedWriteInOrder() throws Exception {
        TestNode[] ab = connectedPair();
        TestNode a = ab[0];
        TestNode b = ab[1];
        int writesBefore = b.tun.writeBatches.size();
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < PacketBatch.SIZE; i++) {
            burst.add(Packets.ipv4(a.meshAddress, b.meshAddress, ("segment " + i + " " + "x".repeat(1000)).getBytes()));
        }
        a.tun.injectBatch(burst);
        for (int i = 0; i < burst.size(); i++) {
            assertArrayEquals(burst.get(i), b.tun.written(3000), "packet " + i + " of the burst, in order");
        }
        assertEquals(List.of(burst.size()), b.tun.writeBatches.subList(writesBefore, b.tun.writeBatches.size()),
                "one TUN write for the whole receive batch");
    }

    /**
     * The kernel queues its answer to a packet during the TUN write (an echo reply, a TCP ACK). Each direction
     * has one thread: the answer is read and sealed by the TUN reader, never by the thread that delivered the
     * request, and every answer arrives in order.
     */
    @Test
    void theKernelsAnswerLeavesThroughTheTunReader() throws Exception {
        TestNode[] ab = connectedPair();
        TestNode a = ab[0];
        TestNode b = ab[1];
        b.tun.answerWith(request -> Packets.ipv4(b.meshAddress, a.meshAddress,
                ("answer to " + new String(request, 20, request.length - 20)).getBytes()));
        int rounds = 20;
        for (int i = 0; i < rounds; i++) {
            byte[] request = a.sendTo(b.meshAddress, "request " + i);
            assertArrayEquals(request, b.tun.written(3000), "request " + i);
            byte[] answer = a.tun.written(3000);
            assertNotNull(answer, "answer " + i);
            assertEquals("answer to request " + i, new String(answer, 20, answer.length - 20));
        }
        assertEquals(rounds, b.tun.answerTakers.size());
        assertTrue(b.tun.answerTakers.stream().allMatch(t -> t.startsWith("tm-tun-reader")),
                "answers read by: " + b.tun.answerTakers);
    }

    @Test
    void eitherSideCanInitiate() throws Exception {
        TestNode a = node("192.0.2.1", "10.99.0.1", mesh);
        TestNode b = node("192.0.2.2", "10.99.0.2", mesh);
        TestNode.introduce(a, b);
        assertDelivered(b, a, "b initiates");
        assertDelivered(a, b, "a answers");
    }

    @Test
    void nodeWithAnotherMeshKeyNeverGetsASessionAndItIsLoggedOnce() throws Exception {
        TestNode a = node("192.0.2.1", "10.99.0.1", mesh);
        TestNode b = node("192.0.2.2", "10.99.0.2", mesh);
        TestNode stranger = node("192.0.2.3", "10.99.0.3", RealEngine.psk());
        a.knows(b);
        a.knows(stranger);
        b.knows(a);
        stranger.knows(a);
        for (int i = 0; i < 3; i++) {
            a.sendTo(stranger.meshAddress, "never arrives " + i);
        }
        eventually("HANDSHAKE_FAILED at the initiator", () -> a.plane.status("t").drops().getOrDefault("HANDSHAKE_FAILED", 0L), 1);
        assertNull(stranger.tun.written(300));
        assertNull(peer(a, stranger).latestHandshake());
        assertEquals("HANDSHAKE_FAILED", peer(a, stranger).lastError());
        assertEquals(1, a.log.lines().stream().filter(l -> l.startsWith("WARN handshake with peer " + stranger.key)).count(), a.log.toString());
        assertDelivered(a, b, "the rest of the mesh keeps working");
    }

    @Test
    void hostileDatagramsAreCountedAndTrafficGoesOn() throws Exception {
        TestNode[] ab = connectedPair();
        TestNode a = ab[0];
        TestNode b = ab[1];
        List<byte[]> real = List.copyOf(network.history);
        Random random = new Random(7);
        MemoryNetwork.MemoryEndpoint attacker = network.endpoint("203.0.113.66", 6666);
        for (int i = 0; i < 300; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (i % 3 == 0 && junk.length > 0) {
                junk[0] = (byte) (1 + random.nextInt(4)); // a valid type byte with garbage after it
                if (junk.length > 3) {
                    junk[1] = junk[2] = junk[3] = 0;
                }
            }
            network.inject(b.underlay, junk, attacker);
        }
        for (byte[] datagram : real) {
            network.inject(b.underlay, datagram, attacker); // replayed
            network.inject(b.underlay, Arrays.copyOf(datagram, datagram.length / 2), attacker); // truncated
        }
        assertDelivered(a, b, "during and after the spray");
        assertDelivered(b, a, "and back");
        Long replays = b.plane.status("t").drops().getOrDefault("REPLAYED_PACKET", 0L);
        assertTrue(replays > 0, b.plane.status("t").drops().toString());
        assertEquals(0, b.plane.drops(NodeDrop.INTERNAL_ERROR), "nothing threw");
        assertEquals(a.underlay, peer(b, a).endpoint(), "no hostile datagram moved a's endpoint");
        assertNull(peer(b, a).lastError(), "forged datagrams are not a's error");
    }

    /**
     * A stranger who knows b's public key (so mac1 is valid) floods b with initiations, a burst every 300 ms, each
     * burst enough to back up b's handshake queue. b demands cookies, its session with a carries on, and a new
     * peer still gets in: its first initiation is answered with a cookie, its retransmission 5 s later carries
     * mac2 and is accepted.
     */
    @Test
    void initiationFloodIsAnsweredWithCookiesAndANewPeerStillGetsIn() throws Exception {
        TestNode[] ab = connectedPair();
        TestNode a = ab[0];
        TestNode b = ab[1];
        List<byte[]> initiations = new ArrayList<>();
        try (TunnelEngine attacker = RealEngine.service().newEngine(
                new EngineOptions(RealEngine.identity(), RealEngine.psk(), InstantSource.system()))) {
            TunnelPeer target = attacker.addPeer(b.key, 0);
            ByteBuffer out = ByteBuffer.allocate(PacketBuffers.CAPACITY);
            PacketOutcome o = new PacketOutcome();
            long virtualNow = System.nanoTime();
            while (initiations.size() < HandshakeLoad.THRESHOLD * 4) {
                virtualNow += 6_000_000_000L; // past the engine's 5 s between initiations
                target.requestHandshake();
                out.clear();
                target.poll(out, virtualNow, o);
                byte[] initiation = new byte[o.length()];
                out.get(out.position(), initiation);
                initiations.add(initiation);
            }
        }
        MemoryNetwork.MemoryEndpoint from = network.endpoint("203.0.113.9", 7777);
        java.util.concurrent.atomic.AtomicBoolean flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread flood = Thread.ofPlatform().daemon().name("flood").start(() -> {
            for (int burst = 0; burst < 60 && flooding.get(); burst++) { // 18 s at most
                initiations.forEach(i -> network.inject(b.underlay, i, from));
                java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
            }
        });
        try {
            eventually("cookie replies demanded under load, drops " + b.plane.status("t").drops() + " log " + b.log,
                    () -> b.plane.status("t").drops().getOrDefault("COOKIE_REQUIRED", 0L) > 0 ? 1 : 0, 1);
            assertTrue(b.log.lines().stream().anyMatch(l -> l.startsWith("WARN handshake messages arrive faster")), b.log.toString());
            assertDelivered(a, b, "the established session is untouched");
            assertDelivered(b, a, "both ways");

            TestNode c = node("192.0.2.3", "10.99.0.3", mesh);
            TestNode.introduce(b, c);
            long cookiesBefore = b.plane.status("t").drops().get("COOKIE_REQUIRED");
            byte[] sent = c.sendTo(b.meshAddress, "a newcomer during the flood");
            byte[] got;
            while ((got = b.tun.written(12_000)) != null && !Arrays.equals(sent, got)) {
                // packets a and b exchanged before
            }
            assertArrayEquals(sent, got, "the newcomer's packet, after one cookie round; b " + b.plane.status("t"));
            assertTrue(flood.isAlive(), "the flood lasted until the newcomer was in");
            assertTrue(b.plane.status("t").drops().get("COOKIE_REQUIRED") > cookiesBefore, "b was still demanding cookies");
            assertDelivered(a, b, "and a's session is still fine");
        } finally {
            flooding.set(false);
            flood.join(2000);
        }
    }

    @Test
    void endpointIsLearnedFromAuthenticatedTrafficAndFollowsARoamingPeer() throws Exception {
        TestNode a = node("192.0.2.1", "10.99.0.1", mesh);
        TestNode b = node("192.0.2.2", "10.99.0.2", mesh);
        a.knows(b);
        b.knowsWithoutEndpoint(a);
        assertNull(peer(b, a).endpoint());
        assertDelivered(a, b, "hello from a");
        assertEquals(a.underlay, peer(b, a).endpoint());
        assertDelivered(b, a, "b can answer at the learned endpoint");

        // a moves to another address (new socket), like a laptop changing networks
        a.plane.withdrawTransport(a.transport);
        a.offer(network.transport("198.51.100.1"), 0);
        assertDelivered(a, b, "from the new address");
        assertEquals(network.endpoint("198.51.100.1", 51820), peer(b, a).endpoint());
        assertDelivered(b, a, "b follows");
    }

    @Test
    void replacingTheEngineRehandshakesAndTrafficResumes() throws Exception {
        TestNode[] ab = connectedPair();
        TestNode a = ab[0];
        TestNode b = ab[1];
        b.plane.useHandshakeService(null);
        b.plane.useHandshakeService(RealEngine.service());
        resumes(a, b, 2000);
        assertDelivered(b, a, "and back");
        assertNotNull(peer(b, a).latestHandshake());
    }

    @Test
    void replacingTheTransportKeepsTheSession() throws Exception {
        TestNode[] ab = connectedPair();
        TestNode a = ab[0];
        TestNode b = ab[1];
        b.plane.withdrawTransport(b.transport);
        b.offer(network.transport("192.0.2.2"), 0);
        resumes(a, b, 2000);
        assertDelivered(b, a, "and back");
    }
}
