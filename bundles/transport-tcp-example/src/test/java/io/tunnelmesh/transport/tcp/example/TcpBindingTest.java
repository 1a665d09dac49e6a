package io.tunnelmesh.transport.tcp.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real TCP sockets on loopback; plain java.net sockets play peers that are not this transport. */
@Timeout(60)
class TcpBindingTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private TcpBinding bind(DatagramReceiver receiver) throws IOException {
        return bind(receiver, TcpSettings.DEFAULTS);
    }

    private TcpBinding bind(DatagramReceiver receiver, TcpSettings settings) throws IOException {
        TcpBinding b = TcpBinding.open(0, receiver, settings, warnings::add, closed -> { });
        open.add(b);
        return b;
    }

    private Socket connect(TcpBinding to) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), to.listenPort());
        s.setSoTimeout(5_000);
        open.add(s);
        return s;
    }

    private static TcpEndpoint loopback(TransportBinding b) {
        return TcpEndpoint.parse("127.0.0.1:" + b.listenPort());
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void sendAndFlush(TransportBinding via, byte[] datagram, Endpoint to) {
        assertTrue(via.send(ByteBuffer.wrap(datagram), to), "send to " + to);
        via.flush();
    }

    @Test
    void datagramsTravelBothWaysWholeAndInOrder() throws Exception {
        Collector atA = new Collector();
        Collector atB = new Collector();
        TcpBinding a = bind(atA);
        TcpBinding b = bind(atB);

        int[] sizes = {1, 148, 1452, 4096, 92, 3000};
        Endpoint aSeenByB = null;
        for (int burst = 0; burst < 30; burst++) { // 10 at a time, as the node sends a TUN read's worth
            for (int i = burst * 10; i < burst * 10 + 10; i++) {
                assertTrue(a.send(ByteBuffer.wrap(pattern(sizes[i % sizes.length], i)), loopback(b)), "send " + i);
            }
            a.flush();
            for (int i = burst * 10; i < burst * 10 + 10; i++) {
                Collector.Received r = atB.next();
                assertArrayEquals(pattern(sizes[i % sizes.length], i), r.data(), "datagram " + i);
                assertEquals(b, r.via());
                assertTrue(r.thread().startsWith("tm-tcp-"), r.thread());
                aSeenByB = r.source();
            }
        }
        assertTrue(atB.batches.get() > 0, "batchComplete after the datagrams");
        assertTrue(aSeenByB.toString().startsWith("tcp:127.0.0.1:"), "an IPv4 peer as IPv4: " + aSeenByB);
        assertNotEquals(loopback(a), aSeenByB, "the source is A's connection, not A's listening port");

        sendAndFlush(b, pattern(1452, -1), aSeenByB);
        Collector.Received reply = atA.next();
        assertArrayEquals(pattern(1452, -1), reply.data());
        assertEquals(loopback(b), reply.source(), "what A dialled is where the reply comes from");
        assertEquals(0, a.dropped() + b.dropped());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aReplyToTheSourceGoesBackOverTheConnectionItCameOn() throws Exception {
        TcpBinding b = bind(new DatagramReceiver() {
            @Override
            public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
                via.send(datagram, source); // echo, from the I/O thread as a node could
            }

            @Override
            public void batchComplete(TransportBinding via) {
                via.flush();
            }
        });
        // a plain socket: the peer has no listening port, only the connection it opened
        try (Socket peer = connect(b)) {
            DataOutputStream out = new DataOutputStream(peer.getOutputStream());
            DataInputStream in = new DataInputStream(peer.getInputStream());
            for (int i = 0; i < 3; i++) {
                byte[] sent = pattern(200 + i, i);
                out.writeShort(sent.length);
                out.write(sent);
                out.flush();
                assertEquals(sent.length, in.readUnsignedShort(), "frame length of echo " + i);
                byte[] echo = new byte[sent.length];
                in.readFully(echo);
                assertArrayEquals(sent, echo);
            }
        }
        assertEquals(0, b.dropped());
    }

    @Test
    void aPeerSendingBadFramesIsDisconnectedAndOthersCarryOn() throws Exception {
        Collector atB = new Collector();
        TcpBinding b = bind(atB);
        TcpBinding a = bind(new Collector());
        sendAndFlush(a, pattern(100, 1), loopback(b));
        assertArrayEquals(pattern(100, 1), atB.next().data());

        byte[] oversized = {(byte) 0xff, (byte) 0xff, 1, 2, 3};
        byte[] empty = {0, 0};
        byte[] garbage = pattern(64, 7);
        garbage[0] = (byte) 0xf0; // a length of 61,440 and more
        for (byte[] hostile : new byte[][] {oversized, empty, garbage}) {
            Socket s = connect(b);
            s.getOutputStream().write(hostile);
            assertClosedByPeer(s);
        }
        // a whole frame, then an oversized one: the first is delivered, the second never in part
        Socket s = connect(b);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(3);
        out.write(new byte[] {9, 9, 9});
        out.writeShort(4097);
        out.write(new byte[4097]);
        assertClosedByPeer(s);
        assertArrayEquals(new byte[] {9, 9, 9}, atB.next().data());

        sendAndFlush(a, pattern(100, 2), loopback(b));
        assertArrayEquals(pattern(100, 2), atB.next().data(), "the well-behaved peer still gets through");
        assertNull(atB.poll(200), "nothing else was delivered");
        assertEquals(1, warnings.size(), () -> "one warning for all the bad frames: " + warnings);
        assertTrue(warnings.getFirst().contains("frame of 65535 bytes (allowed: 1-4096)"), warnings::toString);
    }

    @Test
    void aFrameCutShortByTheEndOfTheConnectionIsNeverDelivered() throws Exception {
        Collector atB = new Collector();
        TcpBinding b = bind(atB);
        try (Socket s = connect(b)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(1000);
            out.write(new byte[999]);
            out.flush();
        }
        assertNull(atB.poll(500), "a partial datagram reached the node");
    }

    @Test
    void sendNeverWaitsForAPeerThatDoesNotRead() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TcpBinding a = bind(new Collector());
            Endpoint to = TcpEndpoint.parse("127.0.0.1:" + stalled.getLocalPort());
            int refused = 0;
            long started = System.nanoTime();
            for (int i = 0; i < 20_000; i++) { // 28 MB: far beyond the socket buffers and the outbox
                if (!a.send(ByteBuffer.wrap(new byte[1400]), to)) {
                    refused++;
                }
                a.flush();
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(refused > 0, "some datagrams are dropped rather than queued without bound");
            assertEquals(refused, a.dropped(), "each drop counted");
            assertTrue(millis < 5_000, "20,000 sends took " + millis + " ms");
        }
    }

    @Test
    void refusesWhatItCannotCarryAndCountsIt() throws Exception {
        TcpBinding a = bind(new Collector());
        Endpoint foreign = new Endpoint() {
            @Override
            public String transport() {
                return "udp";
            }

            @Override
            public byte[] dstToBytes() {
                return new byte[0];
            }

            @Override
            public byte[] dstHostBytes() {
                return new byte[0];
            }
        };
        TcpEndpoint somewhere = TcpEndpoint.parse("127.0.0.1:9");
        assertFalse(a.send(ByteBuffer.allocate(4097), somewhere), "over max.datagram.bytes");
        assertFalse(a.send(ByteBuffer.allocate(0), somewhere), "empty");
        assertFalse(a.send(ByteBuffer.allocate(100), foreign), "another transport's endpoint");
        assertEquals(3, a.dropped());
    }

    @Test
    void aRefusedDialIsTriedAgainAfterASecond() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free again once closed: connecting is refused
        }
        TcpBinding a = bind(new Collector());
        Endpoint to = TcpEndpoint.parse("127.0.0.1:" + port);
        sendAndFlush(a, pattern(10, 1), to);
        awaitWarning("cannot connect to tcp:127.0.0.1:" + port);
        assertFalse(a.send(ByteBuffer.wrap(pattern(10, 2)), to), "refused a moment ago: not dialled per packet");

        Collector atB = new Collector();
        TcpBinding b = TcpBinding.open(port, atB, TcpSettings.DEFAULTS, warnings::add, closed -> { });
        open.add(b);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!a.send(ByteBuffer.wrap(pattern(10, 3)), to) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        a.flush();
        assertArrayEquals(pattern(10, 3), atB.next().data(), "dialled again once the second was over");
    }

    @Test
    void whenFullTheConnectionIdleLongestMakesRoom() throws Exception {
        Collector atB = new Collector();
        TcpBinding b = bind(atB, new TcpSettings(4096, 65536, 2));
        Socket idle = connect(b);
        Socket busy = connect(b);
        Thread.sleep(20);
        busy.getOutputStream().write(new byte[] {0, 1, 42});
        assertArrayEquals(new byte[] {42}, atB.next().data());
        Socket newcomer = connect(b);
        newcomer.getOutputStream().write(new byte[] {0, 1, 43});
        assertArrayEquals(new byte[] {43}, atB.next().data());
        assertClosedByPeer(idle);
        busy.getOutputStream().write(new byte[] {0, 1, 44});
        assertArrayEquals(new byte[] {44}, atB.next().data(), "the connection with traffic stays");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("2 connections open")), warnings::toString);
    }

    @Test
    void closeReleasesThePortAndEndsEveryConnection() throws Exception {
        TcpBinding b = bind(new Collector());
        int port = b.listenPort();
        Socket peer = connect(b);
        b.close();

        assertClosedByPeer(peer);
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("tm-tcp-" + port)),
                "the I/O thread ended");
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(port)); // would fail while the binding still listened
        }
        assertFalse(b.send(ByteBuffer.allocate(10), TcpEndpoint.parse("127.0.0.1:" + port)), "closed: dropped");
    }

    @Test
    void aTakenPortIsOneLineNamingIt() throws Exception {
        TcpBinding b = bind(new Collector());
        IOException e = assertThrows(IOException.class,
                () -> TcpBinding.open(b.listenPort(), new Collector(), TcpSettings.DEFAULTS, warnings::add, c -> { }));
        assertEquals("TCP port " + b.listenPort() + " is already in use: choose another listen port or stop the"
                + " program using it (ss -ltnp 'sport = :" + b.listenPort() + "')", e.getMessage());
    }

    @Test
    void ipv6PeersToo() throws Exception {
        Collector atB = new Collector();
        TcpBinding a = bind(new Collector());
        TcpBinding b = bind(atB);
        sendAndFlush(a, pattern(500, 5), TcpEndpoint.parse("[::1]:" + b.listenPort()));
        Collector.Received r = atB.next();
        assertArrayEquals(pattern(500, 5), r.data());
        assertTrue(r.source().toString().startsWith("tcp:[::1]:"), r.source().toString());
        assertNotEquals("tcp:[::1]:" + a.listenPort(), r.source().toString(), "the connection's port, not A's");
    }

    private void awaitWarning(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (warnings.stream().noneMatch(w -> w.contains(text))) {
            assertTrue(System.nanoTime() < deadline, () -> "no warning containing '" + text + "': " + warnings);
            Thread.sleep(10);
        }
    }

    /** The binding closed {@code s}: reading ends (or is reset) within 5 s. */
    private static void assertClosedByPeer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // whatever was on its way
            }
        } catch (SocketException reset) {
            // closed with unread data: a reset, as good as an end
        }
    }
}
