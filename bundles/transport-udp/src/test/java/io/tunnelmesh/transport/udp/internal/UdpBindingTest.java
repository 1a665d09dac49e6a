package io.tunnelmesh.transport.udp.internal;

import io.tunnelmesh.api.Endpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback. */
class UdpBindingTest {
    private final List<TransportBinding> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(TransportBinding::close);
    }

    private UdpBinding bind(int port, DatagramReceiver receiver) throws IOException {
        UdpBinding binding = UdpBinding.open(port, receiver, UdpSettings.DEFAULTS, System.err::println);
        open.add(binding);
        return binding;
    }

    private UdpBinding bind(int port, DatagramReceiver receiver, IoFlavour flavour) throws IOException {
        UdpBinding binding = UdpBinding.open(port, receiver, UdpSettings.DEFAULTS, flavour, System.err::println);
        open.add(binding);
        return binding;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void usesNativeEpollOnLinux() throws IOException {
        String socket = bind(0, new CollectingReceiver()).describeSocket();
        assertTrue(socket.startsWith(IoFlavour.EPOLL + " "), "what the transport logs: " + socket);
    }

    @Test
    void rootGetsTheFullSocketBufferPastRmemMax() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: SO_RCVBUFFORCE needs root");
        UdpBinding binding = bind(0, new CollectingReceiver());
        // Linux reports twice what was set; rmem_max (4 MiB on the CI hosts) would cap a plain SO_RCVBUF below this.
        // what the transport logs, e.g. "SO_RCVBUF 8192 KiB"
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("SO_RCVBUF (\\d+) KiB").matcher(binding.describeSocket());
        assertTrue(m.find(), binding.describeSocket());
        assertTrue(Long.parseLong(m.group(1)) * 1024 >= 2L * UdpSettings.DEFAULTS.socketBufferBytes(), binding.describeSocket());
    }

    @Test
    void exchangesDatagramsBothWaysOverIpv4() throws Exception {
        exchange(InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void exchangesDatagramsBothWaysOverIpv6() throws Exception {
        assumeTrue(ipv6Loopback(), "skipped: this host has no IPv6 loopback (::1)");
        exchange(InetAddress.getByName("::1"));
    }

    @Test
    void nioFallbackExchangesDatagramsBothWays() throws Exception {
        exchange(InetAddress.getByName("127.0.0.1"), IoFlavour.NIO);
        if (ipv6Loopback()) {
            exchange(InetAddress.getByName("::1"), IoFlavour.NIO);
        }
    }

    private void exchange(InetAddress loopback) throws Exception {
        exchange(loopback, IoFlavour.EPOLL);
    }

    private void exchange(InetAddress loopback, IoFlavour flavour) throws Exception {
        CollectingReceiver atA = new CollectingReceiver();
        CollectingReceiver atB = new CollectingReceiver();
        UdpBinding a = bind(0, atA, flavour);
        UdpBinding b = bind(0, atB, flavour);

        assertTrue(a.send(text("ping"), new UdpEndpoint(new InetSocketAddress(loopback, b.listenPort()))));
        a.flush();
        CollectingReceiver.Received ping = atB.next();
        assertEquals("ping", text(ping.data()));
        assertEquals(new UdpEndpoint(new InetSocketAddress(loopback, a.listenPort())), ping.source(),
                "an IPv4 peer is reported as IPv4, not v4-mapped IPv6");
        assertEquals(b, ping.via());
        assertTrue(ping.thread().startsWith("tm-udp-"), ping.thread());

        assertTrue(b.send(text("pong"), ping.source()));
        b.flush();
        CollectingReceiver.Received pong = atA.next();
        assertEquals("pong", text(pong.data()));
        assertEquals(new UdpEndpoint(new InetSocketAddress(loopback, b.listenPort())), pong.source());
        assertTrue(atA.awaitBatch() && atB.awaitBatch(), "batchComplete follows each read batch");
        assertEquals(0, a.dropped() + b.dropped());
    }

    @Test
    void sourceOfAnIpv4PeerIsAnIpv4Address() throws Exception {
        CollectingReceiver receiver = new CollectingReceiver();
        UdpBinding binding = bind(0, receiver);
        try (DatagramChannel plain = DatagramChannel.open(StandardProtocolFamily.INET)) {
            plain.send(text("x"), new InetSocketAddress("127.0.0.1", binding.listenPort()));
        }
        assertInstanceOf(Inet4Address.class, receiver.next().address().getAddress());
    }

    /** No endpoint is allocated per packet: a sender seen lately keeps its endpoint object. */
    @Test
    void datagramsFromOneSenderShareOneEndpointObject() throws Exception {
        CollectingReceiver receiver = new CollectingReceiver();
        UdpBinding binding = bind(0, receiver);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", binding.listenPort());
        try (DatagramChannel one = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel two = DatagramChannel.open(StandardProtocolFamily.INET)) {
            one.send(text("1"), to);
            one.send(text("2"), to);
            two.send(text("3"), to);
            Endpoint first = receiver.next().source();
            assertSame(first, receiver.next().source(), "the same sender again");
            assertNotEquals(first, receiver.next().source());
            assertEquals("udp:127.0.0.1:" + ((InetSocketAddress) one.getLocalAddress()).getPort(), first.toString());
        }
    }

    @Test
    void batchArrivesCompleteAndInOrder() throws Exception {
        int count = 2_000;
        CollectingReceiver receiver = new CollectingReceiver();
        UdpBinding sender = bind(0, new CollectingReceiver());
        UdpBinding target = bind(0, receiver);
        UdpEndpoint destination = new UdpEndpoint(new InetSocketAddress("127.0.0.1", target.listenPort()));
        ByteBuffer datagram = ByteBuffer.allocateDirect(1400);
        for (int i = 0; i < count; i++) {
            datagram.clear();
            datagram.putInt(0, i);
            assertTrue(sender.send(datagram, destination));
            assertEquals(0, datagram.position(), "send leaves the caller's buffer as it was");
        }
        sender.flush();
        for (int i = 0; i < count; i++) {
            CollectingReceiver.Received received = receiver.next();
            assertEquals(1400, received.data().length);
            assertEquals(i, ByteBuffer.wrap(received.data()).getInt(0), "datagram " + i + " in order");
        }
        assertEquals(0, sender.dropped());
    }

    @Test
    void mixedSizesAndPeersArriveExactlyAsSent() throws Exception {
        CollectingReceiver atB = new CollectingReceiver();
        CollectingReceiver atC = new CollectingReceiver();
        UdpBinding sender = bind(0, new CollectingReceiver());
        UdpEndpoint b = new UdpEndpoint(new InetSocketAddress("127.0.0.1", bind(0, atB).listenPort()));
        UdpEndpoint c = new UdpEndpoint(new InetSocketAddress("127.0.0.1", bind(0, atC).listenPort()));
        int[] sizes = {1400, 1400, 1400, 700, 1400, 8, 1400, 1400};
        Random random = new Random(42);
        List<Integer> expectedAtB = new ArrayList<>();
        List<Integer> expectedAtC = new ArrayList<>();
        ByteBuffer datagram = ByteBuffer.allocateDirect(1400);
        for (int i = 0; i < 600; i++) {
            int size = sizes[random.nextInt(sizes.length)];
            boolean toB = random.nextInt(5) != 0; // mostly runs to one peer, as bulk traffic makes
            datagram.clear().limit(size);
            datagram.putInt(0, i).putInt(4, size);
            sender.send(datagram, toB ? b : c);
            (toB ? expectedAtB : expectedAtC).add(i);
        }
        sender.flush();
        checkArrivals(atB, expectedAtB);
        checkArrivals(atC, expectedAtC);
        assertEquals(0, sender.dropped());
    }

    private static void checkArrivals(CollectingReceiver receiver, List<Integer> expected) throws Exception {
        for (int sequence : expected) {
            ByteBuffer data = ByteBuffer.wrap(receiver.next().data());
            assertEquals(sequence, data.getInt(0), "datagrams arrive in the order sent");
            assertEquals(data.getInt(4), data.capacity(), "each datagram keeps its own boundaries");
        }
    }

    @Test
    void portInUseIsOneClearLine() throws Exception {
        int port = bind(0, new CollectingReceiver()).listenPort();
        IOException e = assertThrows(IOException.class, () -> bind(port, new CollectingReceiver()));
        assertEquals("UDP port " + port + " is already in use (another TunnelMesh or WireGuard?): choose another"
                + " listen port or stop the program using it (ss -lunp 'sport = :" + port + "')", e.getMessage());
    }

    @Test
    void closeReleasesThePortAndSendAfterCloseReturnsFalse() throws Exception {
        UdpBinding first = bind(0, new CollectingReceiver());
        int port = first.listenPort();
        first.close();
        assertFalse(first.send(text("late"), new UdpEndpoint(new InetSocketAddress("127.0.0.1", port))));
        first.flush();
        assertEquals(port, bind(port, new CollectingReceiver()).listenPort());
    }

    @Test
    void throwingReceiverDoesNotStopTheNextDatagrams() throws Exception {
        CollectingReceiver collected = new CollectingReceiver();
        DatagramReceiver flaky = new DatagramReceiver() {
            private boolean thrown;

            @Override
            public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
                if (!thrown) {
                    thrown = true;
                    throw new IllegalStateException("receiver bug");
                }
                collected.received(datagram, source, via);
            }
        };
        UdpBinding target = bind(0, flaky);
        UdpBinding sender = bind(0, new CollectingReceiver());
        UdpEndpoint destination = new UdpEndpoint(new InetSocketAddress("127.0.0.1", target.listenPort()));
        sender.send(text("lost"), destination);
        sender.flush();
        Thread.sleep(100);
        sender.send(text("kept"), destination);
        sender.flush();
        assertEquals("kept", text(collected.next().data()));
    }

    @Test
    void receiverMayCloseTheBindingFromItsCallback() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        DatagramReceiver closer = (datagram, source, via) -> {
            try {
                via.close();
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        };
        UdpBinding target = bind(0, closer);
        int port = target.listenPort();
        UdpBinding sender = bind(0, new CollectingReceiver());
        sender.send(text("close, please"), new UdpEndpoint(new InetSocketAddress("127.0.0.1", port)));
        sender.flush();
        assertEquals(null, outcome.get(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + 3_000_000_000L;
        IOException last = null;
        while (System.nanoTime() < deadline) { // the port frees once the loop has left the callback
            try {
                bind(port, new CollectingReceiver());
                return;
            } catch (IOException stillBound) {
                last = stillBound;
                Thread.sleep(20);
            }
        }
        throw new AssertionError("port " + port + " still bound 3 s after close from the callback", last);
    }

    @Test
    void anotherTransportsEndpointIsDroppedAndCounted() throws Exception {
        UdpBinding sender = bind(0, new CollectingReceiver());
        Endpoint elsewhere = new Endpoint() {
            @Override
            public String transport() {
                return "udp"; // the same name, but another transport's class: this socket cannot reach it
            }

            @Override
            public byte[] dstToBytes() {
                return new byte[6];
            }

            @Override
            public byte[] dstHostBytes() {
                return new byte[4];
            }
        };
        assertFalse(sender.send(text("x"), elsewhere));
        assertEquals(1, sender.dropped());
    }

    @Test
    void endpointsAreParsedOnceAndPrintedInTheirCanonicalForm() {
        UdpTransport transport = new UdpTransport();
        assertEquals(new UdpEndpoint(new InetSocketAddress("192.0.2.1", 51820)), transport.parseEndpoint("192.0.2.1:51820"));
        assertEquals("udp:[fd00::7]:51820", transport.parseEndpoint("[fd00:0::7]:51820").toString());
        assertEquals("udp:192.0.2.1:51820", transport.parseEndpoint("[::ffff:192.0.2.1]:51820").toString(),
                "a v4-mapped address is the IPv4 peer Netty reports");
        String local = transport.parseEndpoint("localhost:9").toString();
        assertTrue(local.equals("udp:127.0.0.1:9") || local.equals("udp:[::1]:9"), "a host name is resolved at once: " + local);
        assertEquals("endpoint 'udp:nowhere.invalid:9': cannot resolve host 'nowhere.invalid': write an IP address or a"
                + " name this host can resolve", assertThrows(IllegalArgumentException.class,
                        () -> transport.parseEndpoint("nowhere.invalid:9")).getMessage());
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1, (byte) 0xca, 0x6c}, transport.parseEndpoint("192.0.2.1:51820").dstToBytes(),
                "the cookie is bound to the address and the port, as WireGuard does");
        assertArrayEquals(new byte[] {(byte) 192, 0, 2, 1}, transport.parseEndpoint("192.0.2.1:51820").dstHostBytes());
    }

    @Test
    void sendsFromManyThreadsAllArrive() throws Exception {
        CollectingReceiver receiver = new CollectingReceiver();
        UdpBinding target = bind(0, receiver);
        UdpBinding sender = bind(0, new CollectingReceiver());
        UdpEndpoint destination = new UdpEndpoint(new InetSocketAddress("127.0.0.1", target.listenPort()));
        int threads = 4;
        int each = 500;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofPlatform().start(() -> {
                ByteBuffer datagram = ByteBuffer.allocate(8);
                for (int i = 0; i < each; i++) {
                    datagram.clear();
                    datagram.putInt(0, id).putInt(4, i);
                    sender.send(datagram, destination);
                    if (i % 16 == 15) {
                        sender.flush();
                    }
                }
                sender.flush();
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        int[] next = new int[threads];
        for (int i = 0; i < threads * each; i++) {
            ByteBuffer data = ByteBuffer.wrap(receiver.next().data());
            int id = data.getInt(0);
            assertEquals(next[id]++, data.getInt(4), "each thread's datagrams keep their order");
        }
    }

    private static boolean ipv6Loopback() {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
