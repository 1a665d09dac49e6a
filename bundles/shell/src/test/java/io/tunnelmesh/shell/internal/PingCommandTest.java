package io.tunnelmesh.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.MeshNode;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.node.PingReply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tm:ping} as an operator types it, parsed by the real Gogo runtime, against a node that answers as told. */
class PingCommandTest {
    private static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String OTHER = "Q75aPkzgQk9ZBM7sER749z8bvXT00vfWhGq6j4GXThc=";

    private final PingingNode node = new PingingNode();
    private final List<Duration> pauses = new ArrayList<>();
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final CommandSession session;

    PingCommandTest() {
        threadIo.start();
        processor.addCommand("tm", new PingCommand(node, pauses::add), "ping");
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(console, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterEach
    void stop() {
        session.close();
        threadIo.stop();
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachReplySaysThePathAndTheRoundTripAndALostOneSaysTimeout() throws Exception {
        node.replies.add(Optional.of(new PingReply(new PeerCommandsTest.TextEndpoint("udp:203.0.113.20:51820"), 812_000)));
        node.replies.add(Optional.empty());
        node.replies.add(Optional.of(new PingReply(new PeerCommandsTest.TextEndpoint("relay:" + KEY + "@203.0.113.1:7443", true),
                2_100_000)));
        session.execute("tm:ping bravo -c 3");
        assertEquals("""
                pong from bravo (100.64.0.2) via direct udp:203.0.113.20:51820 in 0.8 ms
                timeout: no pong from bravo in 1 s
                pong from bravo (100.64.0.2) via relay 203.0.113.1:7443 in 2.1 ms
                """, console());
        assertEquals(List.of(NodeKey.parse(KEY), NodeKey.parse(KEY), NodeKey.parse(KEY)), node.pinged);
        assertEquals(2, pauses.size(), "one a second: a pause between pings, none after the last");
    }

    @Test
    void thePeerIsFoundByNameMeshAddressOrTheStartOfItsKeyAndFiveIsTheDefaultCount() throws Exception {
        for (int i = 0; i < 7; i++) {
            node.replies.add(Optional.of(new PingReply(new PeerCommandsTest.TextEndpoint("udp:203.0.113.20:51820"), 1_000_000)));
        }
        session.execute("tm:ping 100.64.0.3");
        assertEquals(List.of(NodeKey.parse(OTHER), NodeKey.parse(OTHER), NodeKey.parse(OTHER), NodeKey.parse(OTHER),
                NodeKey.parse(OTHER)), node.pinged);
        node.pinged.clear();
        session.execute("tm:ping -c 1 xTIB");
        assertEquals(List.of(NodeKey.parse(KEY)), node.pinged);
        assertTrue(console().contains("pong from Q75aPkzg (100.64.0.3) via direct udp:203.0.113.20:51820 in 1.0 ms\n"), console());
    }

    @Test
    void noPongAtAllFailsAndABadPeerOrCountIsNamed() throws Exception {
        Exception e = assertThrows(IllegalStateException.class, () -> session.execute("tm:ping bravo -c 2"));
        assertEquals("no pong from bravo (100.64.0.2) (2 pings sent)", e.getMessage());
        assertEquals("timeout: no pong from bravo in 1 s\ntimeout: no pong from bravo in 1 s\n", console());
        e = assertThrows(IllegalArgumentException.class, () -> session.execute("tm:ping charlie"));
        assertTrue(e.getMessage().startsWith("no peer 'charlie'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> session.execute("tm:ping bravo -c zero"));
        assertTrue(e.getMessage().startsWith("-c 'zero' is not valid"), e.getMessage());
    }

    /** Answers pings from a list; none left: timeout. */
    private static final class PingingNode implements MeshNode {
        final Deque<Optional<PingReply>> replies = new ArrayDeque<>();
        final List<NodeKey> pinged = new ArrayList<>();

        @Override
        public NodeStatus status() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<PeerStatus> peers() {
            return List.of(
                    new PeerStatus(NodeKey.parse(KEY), null, List.of(), List.of(IpPrefix.parse("100.64.0.2/32")), null, 0, 0, 0, null,
                            "bravo"),
                    new PeerStatus(NodeKey.parse(OTHER), null, List.of(), List.of(IpPrefix.parse("100.64.0.3/32")), null, 0, 0, 0, null,
                            ""));
        }

        @Override
        public void addPeer(PeerConfig peer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean removePeer(NodeKey publicKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<PingReply> ping(NodeKey publicKey, Duration timeout) {
            pinged.add(publicKey);
            Optional<PingReply> r = replies.poll();
            return r == null ? Optional.empty() : r;
        }
    }
}
