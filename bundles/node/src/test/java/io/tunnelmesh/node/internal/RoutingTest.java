package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.PeerStatus;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cryptokey routing in the node with the pass-through engine (no crypto): which peer a packet goes to,
 * which decrypted packets reach the TUN device, how peers come and go and how endpoints roam.
 */
class RoutingTest {
    private final MemoryNetwork network = new MemoryNetwork();
    private final TestNode a = TestNode.fake(network, "192.0.2.1", 51820, "10.99.0.1");
    private final TestNode b = TestNode.fake(network, "192.0.2.2", 51820, "10.99.0.2");
    private final TestNode c = TestNode.fake(network, "192.0.2.3", 51820, "10.99.0.3");

    @AfterEach
    void close() {
        a.close();
        b.close();
        c.close();
    }

    static void eventually(String what, LongSupplier actual, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (actual.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, actual.getAsLong(), what);
    }

    @Test
    void packetGoesToThePeerOwningTheDestination() throws Exception {
        a.knows(b);
        a.knows(c);
        b.knows(a);
        c.knows(a);
        byte[] sent = a.sendTo("10.99.0.3", "to c");
        assertArrayEquals(sent, c.tun.written(2000));
        assertNull(b.tun.written(100), "b must not see c's packet");
    }

    @Test
    void longestPrefixWinsBetweenPeers() throws Exception {
        a.knows(b, "10.50.0.0/16");
        a.knows(c, "10.50.7.0/24");
        b.knows(a);
        c.knows(a);
        a.tun.inject(Packets.ipv4("10.99.0.1", "10.50.7.9", new byte[4]));
        a.tun.inject(Packets.ipv4("10.99.0.1", "10.50.8.9", new byte[4]));
        assertEquals("10.50.7.9", destination(c.tun.written(2000)));
        assertEquals("10.50.8.9", destination(b.tun.written(2000)));
    }

    @Test
    void ipv6PacketsAreRoutedToo() throws Exception {
        a.knows(b, "fd00::2/128");
        b.knows(a, "fd00::1/128");
        byte[] p = Packets.ipv6("fd00::1", "fd00::2", "six".getBytes());
        a.tun.inject(p);
        assertArrayEquals(p, b.tun.written(2000));
    }

    @Test
    void noRouteIsCountedAndNothingIsSent() throws Exception {
        a.knows(b);
        a.sendTo("10.99.0.77", "nobody");
        eventually("NO_ROUTE drops", () -> a.plane.drops(NodeDrop.NO_ROUTE), 1);
        assertNull(b.tun.written(100));
        assertEquals(1L, a.plane.status("test").drops().get("NO_ROUTE"));
    }

    @Test
    void spoofedSourceAddressIsDroppedByTheReceiver() throws Exception {
        TestNode.introduce(a, b);
        b.knows(c);
        // a claims c's address: b must not deliver it, even though the datagram authenticates as a
        a.tun.inject(Packets.ipv4("10.99.0.3", "10.99.0.2", new byte[4]));
        eventually("NOT_ALLOWED_SOURCE drops", () -> b.plane.drops(NodeDrop.NOT_ALLOWED_SOURCE), 1);
        assertNull(b.tun.written(100));
        PeerStatus fromA = b.plane.peerStatus().stream().filter(p -> p.publicKey().equals(a.key)).findFirst().orElseThrow();
        assertEquals("NOT_ALLOWED_SOURCE", fromA.lastError());
        byte[] fine = a.sendTo("10.99.0.2", "genuine");
        assertArrayEquals(fine, b.tun.written(2000));
    }

    @Test
    void paddingAfterTheDeclaredLengthIsTrimmed() throws Exception {
        TestNode.introduce(a, b);
        byte[] p = Packets.ipv4("10.99.0.1", "10.99.0.2", new byte[3]);
        byte[] padded = java.util.Arrays.copyOf(p, 32);
        a.tun.inject(padded);
        assertArrayEquals(p, b.tun.written(2000));
    }

    @Test
    void removedPeerIsNoLongerRouted() throws Exception {
        TestNode.introduce(a, b);
        a.sendTo("10.99.0.2", "one");
        assertTrue(b.tun.written(2000) != null);
        assertTrue(a.plane.removePeer(b.key));
        assertFalse(a.plane.removePeer(b.key));
        a.sendTo("10.99.0.2", "two");
        eventually("NO_ROUTE drops", () -> a.plane.drops(NodeDrop.NO_ROUTE), 1);
        assertNull(b.tun.written(100));
        assertTrue(a.plane.peerStatus().isEmpty());
    }

    @Test
    void addingAPrefixToAnotherPeerMovesIt() throws Exception {
        a.knows(b, "10.50.0.0/16");
        a.knows(c, "10.50.0.0/16");
        List<PeerStatus> peers = a.plane.peerStatus();
        assertEquals(List.of(IpPrefix.parse("10.99.0.2/32")), peers.get(0).allowedIps());
        assertEquals(List.of(IpPrefix.parse("10.99.0.3/32"), IpPrefix.parse("10.50.0.0/16")), peers.get(1).allowedIps());
    }

    @Test
    void replacingAPeerKeepsItsEndpointWhenNoneIsGiven() throws Exception {
        a.knows(b);
        a.plane.putPeer(new PeerConfig(b.key, List.of(), List.of(IpPrefix.parse("10.99.0.2/32")), 25));
        PeerStatus s = a.plane.peerStatus().get(0);
        assertEquals(b.underlay, s.endpoint());
        assertEquals(25, s.persistentKeepaliveSeconds());
    }

    @Test
    void endpointIsLearnedAndRoamsOnlyWithAuthenticatedDatagrams() throws Exception {
        a.knows(b);
        b.knowsWithoutEndpoint(a);
        b.sendTo("10.99.0.1", "no endpoint yet");
        eventually("NO_ENDPOINT drops", () -> b.plane.drops(NodeDrop.NO_ENDPOINT), 1);
        assertEquals("NO_ENDPOINT", b.plane.peerStatus().get(0).lastError());

        a.sendTo("10.99.0.2", "hello");
        assertTrue(b.tun.written(2000) != null);
        assertEquals(a.underlay, endpointOf(b, a));
        assertEquals(null, b.plane.peerStatus().get(0).lastError(), "the missing endpoint is history once a's packet came");

        MemoryNetwork.MemoryEndpoint elsewhere = network.endpoint("198.51.100.9", 4444);
        network.inject(b.underlay, PassThroughEngine.datagram(PassThroughEngine.FORGED, a.key,
                Packets.ipv4("10.99.0.1", "10.99.0.2", new byte[4])), elsewhere);
        eventually("forged datagram dropped", () -> b.plane.status("t").drops().getOrDefault("DECRYPT_FAILED", 0L), 1);
        assertEquals(a.underlay, endpointOf(b, a), "a forged datagram must not move the endpoint");

        network.inject(b.underlay, PassThroughEngine.datagram(PassThroughEngine.AUTHENTIC, a.key,
                Packets.ipv4("10.99.0.1", "10.99.0.2", new byte[4])), elsewhere);
        assertTrue(b.tun.written(2000) != null);
        assertEquals(elsewhere, endpointOf(b, a), "an authenticated datagram moves it");
    }

    @Test
    void anEndpointOfAnUninstalledTransportWaitsAndTheLogSaysWhichOnce() throws Exception {
        a.knowsAt(b, "relay:eu-1");
        a.knowsAt(c, "relay:eu-2," + c.spec());
        c.knows(a);
        PeerStatus toB = statusOf(a, b);
        assertNull(toB.endpoint());
        assertEquals(List.of(new CandidateStatus(EndpointSpec.parse("relay:eu-1"), CandidateStatus.State.WAITING,
                "no transport named relay is bound")), toB.candidates());
        assertEquals(c.underlay, statusOf(a, c).endpoint(), "the next candidate is used meanwhile");
        assertEquals(1, a.log.lines().stream().filter(l -> l.contains("waits for transport relay")).count(), a.log.toString());
        assertTrue(a.log.lines().contains("WARN endpoint relay:eu-1 of peer " + b.key + " waits for transport relay: no Transport"
                + " service with transport.name=relay is bound; install the bundle that provides it (logged once per transport)"), a.log.toString());

        a.sendTo("10.99.0.2", "no transport for b");
        eventually("NO_TRANSPORT drops", () -> a.plane.drops(NodeDrop.NO_TRANSPORT), 1);
        assertEquals("NO_TRANSPORT", statusOf(a, b).lastError());
        byte[] sent = a.sendTo("10.99.0.3", "c is reached");
        assertArrayEquals(sent, c.tun.written(2000));
    }

    @Test
    void anEndpointTheTransportRefusesIsShownWithWhy() throws Exception {
        a.knowsAt(b, "mem:gone" + MemoryNetwork.UNRESOLVABLE + ":51820," + b.spec());
        b.knows(a);
        String why = "endpoint 'mem:gone.invalid:51820': cannot resolve host 'gone.invalid'";
        assertEquals(List.of(new CandidateStatus(EndpointSpec.parse("mem:gone.invalid:51820"), CandidateStatus.State.REFUSED, why),
                new CandidateStatus(b.spec(), CandidateStatus.State.USABLE, "")), statusOf(a, b).candidates());
        assertTrue(a.log.lines().contains("WARN peer " + b.key + ": transport mem refused endpoint mem:gone.invalid:51820: " + why), a.log.toString());
        byte[] sent = a.sendTo("10.99.0.2", "over the second candidate");
        assertArrayEquals(sent, b.tun.written(2000));
    }

    @Test
    void aLearnedEndpointGoesWithItsBindingAndTheNextBindingReadsItAgain() throws Exception {
        a.knows(b);
        b.knowsWithoutEndpoint(a);
        a.sendTo("10.99.0.2", "hello");
        assertTrue(b.tun.written(2000) != null);
        assertEquals(a.underlay, endpointOf(b, a));

        b.plane.withdrawTransport(b.transport);
        assertNull(endpointOf(b, a), "the endpoint belonged to the closed binding");
        b.sendTo("10.99.0.1", "while no transport is bound");
        eventually("NO_TRANSPORT drops", () -> b.plane.drops(NodeDrop.NO_TRANSPORT), 1);

        b.offer(network.transport("192.0.2.2"), 0);
        assertEquals(a.underlay, endpointOf(b, a), "read again by the new binding");
        byte[] back = b.sendTo("10.99.0.1", "back");
        assertArrayEquals(back, a.tun.written(2000));
    }

    @Test
    void transportCanBeReplacedWhileTheNodeRuns() throws Exception {
        TestNode.introduce(a, b);
        a.sendTo("10.99.0.2", "before");
        assertTrue(b.tun.written(2000) != null);
        b.plane.withdrawTransport(b.transport);
        assertEquals("waiting", b.plane.status("t").state());
        a.sendTo("10.99.0.2", "while away");
        assertNull(b.tun.written(200));
        b.offer(network.transport("192.0.2.2"), 0);
        assertEquals("up", b.plane.status("t").state());
        byte[] after = a.sendTo("10.99.0.2", "after");
        assertArrayEquals(after, b.tun.written(2000));
    }

    @Test
    void anyPortIsKeptWhenTheTransportIsReplaced() {
        TestNode any = TestNode.fake(network, "192.0.2.9", 0, "10.99.0.9");
        try {
            int first = any.transport.lastBinding.listenPort();
            assertTrue(first > 0);
            any.plane.withdrawTransport(any.transport);
            MemoryNetwork.MemoryTransport next = network.transport("192.0.2.9");
            any.offer(next, 0);
            assertEquals(first, next.lastBinding.listenPort(), "peers know us at this port, whatever the transport's name");
        } finally {
            any.close();
        }
    }

    @Test
    void engineCanBeReplacedWhileTheNodeRuns() throws Exception {
        TestNode.introduce(a, b);
        b.plane.useHandshakeService(null);
        assertEquals("waiting", b.plane.status("t").state());
        a.sendTo("10.99.0.2", "while away");
        eventually("dropped without an engine", () -> b.plane.drops(NodeDrop.NO_HANDSHAKE_SERVICE), 1);
        b.plane.useHandshakeService(PassThroughEngine.SERVICE);
        byte[] after = a.sendTo("10.99.0.2", "after");
        assertArrayEquals(after, b.tun.written(2000));
        assertTrue(b.log.lines().stream().anyMatch(l -> l.startsWith("INFO tunnelmesh up: interface=tm-192.0.2.2 address=10.99.0.2/24 transports=mem:51820 public-key=")),
                b.log.toString());
    }

    @Test
    void closingStopsThreadsAndClosesTheTun() {
        a.close();
        assertTrue(a.tun.isClosed());
    }

    private static PeerStatus statusOf(TestNode node, TestNode peer) {
        return node.plane.peerStatus().stream().filter(p -> p.publicKey().equals(peer.key)).findFirst().orElseThrow();
    }

    private static Endpoint endpointOf(TestNode node, TestNode peer) {
        return node.plane.peerStatus().stream().filter(p -> p.publicKey().equals(peer.key)).findFirst().orElseThrow().endpoint();
    }

    private static String destination(byte[] packet) throws Exception {
        return java.net.InetAddress.getByAddress(java.util.Arrays.copyOfRange(packet, 16, 20)).getHostAddress();
    }
}
