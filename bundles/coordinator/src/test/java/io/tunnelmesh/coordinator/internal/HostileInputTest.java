package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.control.ControlFrames;
import io.tunnelmesh.control.PeerMap;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage, truncation, oversized frames, broken messages, slow clients and floods: each closes only the
 * offending connection, is counted, and the coordinator keeps serving its members.
 */
class HostileInputTest {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    @TempDir
    Path dir;
    private TestCoordinator c;
    private TestNode member;
    private TestNode.Link memberLink;

    @BeforeEach
    void start() throws Exception {
        c = new TestCoordinator(dir, Limits.defaults().withHandshakeTimeout(Duration.ofMillis(500))
                .withUnauthenticated(1000, 100));
        member = new TestNode("member");
        member.join(c, c.token(false), null);
        memberLink = member.connect(c);
        memberLink.next(PeerMap.class, ONE_SECOND);
    }

    @AfterEach
    void stop() throws Exception {
        memberLink.close();
        c.close();
    }

    @Test
    void garbagePreambleIsClosedAndCounted() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertClosed(s);
        }
        assertEquals(1, c.count(Counters.Kind.BAD_PREAMBLE));
        stillServing();
    }

    @Test
    void truncatedFrameIsCounted() throws Exception {
        try (Socket s = raw()) {
            OutputStream out = s.getOutputStream();
            out.write(ControlFrames.PREAMBLE);
            out.write(new byte[] {0, 100, 1, 2, 3, 4, 5});
            out.flush();
            s.shutdownOutput();
            assertClosed(s);
        }
        awaitCount(Counters.Kind.TRUNCATED, 1);
        stillServing();
    }

    @Test
    void oversizedGarbageHandshakeIsClosedAndCounted() throws Exception {
        try (Socket s = raw()) {
            OutputStream out = s.getOutputStream();
            out.write(ControlFrames.PREAMBLE);
            byte[] junk = new byte[65535];
            new Random(1).nextBytes(junk);
            ControlFrames.writeFrame(out, junk);
            out.flush();
            assertClosed(s);
        }
        assertEquals(1, c.count(Counters.Kind.BAD_HANDSHAKE));
        stillServing();
    }

    @Test
    void nonJsonAfterTheHandshakeClosesOnlyThatConnection() throws Exception {
        TestNode other = new TestNode("other");
        other.join(c, c.token(false), null);
        try (TestNode.Link link = other.connect(c)) {
            link.next(PeerMap.class, ONE_SECOND);
            link.sendRaw("this is not json".getBytes(StandardCharsets.UTF_8));
            awaitClosed(link);
        }
        assertEquals(1, c.count(Counters.Kind.BAD_MESSAGE));
        assertEquals(2, c.coordinator.nodes().size(), "no registration lost");
        stillServing();
    }

    @Test
    void slowClientIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(ControlFrames.PREAMBLE);
            s.getOutputStream().write(new byte[] {0, 50, 1});
            long started = System.nanoTime();
            assertClosed(s);
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos());
        }
        assertEquals(1, c.count(Counters.Kind.HANDSHAKE_TIMEOUT));
        stillServing();
    }

    @Test
    void floodOfConnectionsIsLimitedAndOthersStillJoin() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                Socket s = new Socket();
                s.connect(c.address(), 2000);
                s.getOutputStream().write(ControlFrames.PREAMBLE);
                flood.add(s);
            }
            // the 500 ms handshake timeout frees slots while the flood builds up, so not exactly 400
            awaitCount(Counters.Kind.LIMIT_PER_IP, 100);
            // (a connection being refused counts for an instant, so poll until the accepts have settled)
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (c.coordinator.status().unauthenticated() > 100 && System.nanoTime() < settle) {
                Thread.sleep(10);
            }
            assertTrue(c.coordinator.status().unauthenticated() <= 100, "unauthenticated connections stay bounded: "
                    + c.coordinator.status().unauthenticated());
            // another address still gets in while the flood holds its 100 slots
            TestNode newcomer = new TestNode("newcomer");
            newcomer.bindAddress = "127.0.0.2";
            assertNull(newcomer.join(c, c.token(false), null).error());
            stillServing();
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        awaitCount(Counters.Kind.HANDSHAKE_TIMEOUT, 0);
        assertEquals(2, c.coordinator.nodes().size());
        assertTrue(c.log.lines().stream().filter(l -> l.contains("per-IP")).count() <= 2,
                "the log line is rate-limited: " + c.log.lines().stream().filter(l -> l.contains("per-IP")).count());
    }

    /** The established member still gets answers. */
    private void stillServing() throws Exception {
        long nonce = System.nanoTime();
        memberLink.send(new Ping(nonce));
        assertEquals(nonce, memberLink.next(Pong.class, ONE_SECOND).nonce());
    }

    private Socket raw() throws IOException {
        Socket s = new Socket();
        s.connect(c.address(), 2000);
        s.setSoTimeout(3000);
        return s;
    }

    private static void assertClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // drain whatever was sent before the close
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the coordinator did not close the connection within 3 s");
        } catch (IOException e) {
            // reset: closed too
        }
    }

    private static void awaitClosed(TestNode.Link link) throws Exception {
        try {
            for (int i = 0; i < 100; i++) { // a delta sent before the close may still be in flight
                if (link.next(Duration.ofSeconds(2)) == null) {
                    return;
                }
            }
            throw new AssertionError("the connection stayed open");
        } catch (java.net.SocketException e) {
            // reset counts as closed
        }
    }

    private void awaitCount(Counters.Kind kind, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (c.count(kind) < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(c.count(kind) >= atLeast, kind + " counted " + c.count(kind) + ", expected at least " + atLeast);
    }
}
