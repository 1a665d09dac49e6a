package io.tunnelmesh.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.api.node.MeshNode;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands as an operator types them, parsed by the real Gogo runtime. */
class PeerCommandsTest {
    private static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final Instant NOW = Instant.parse("2026-11-26T01:00:00Z");

    private final RecordingNode node = new RecordingNode();
    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
    private final CommandSession session;

    PeerCommandsTest() {
        threadIo.start();
        PeerCommands commands = new PeerCommands(node, Clock.fixed(NOW, ZoneOffset.UTC));
        processor.addCommand("tm", commands, "status");
        processor.addCommand("tm", commands, "peers");
        processor.addCommand("tm", new PeerAddCommand(commands), "peer-add");
        processor.addCommand("tm", new PeerRemoveCommand(commands), "peer-remove");
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterEach
    void stop() {
        session.close();
        threadIo.stop();
    }

    @Test
    void peerAddParsesKeyEndpointAllowedIpsAndKeepalive() throws Exception {
        Object result = session.execute("tm:peer-add " + KEY + " --endpoint 192.0.2.7:51820 --allowed-ips 10.99.0.2/32,fd00::2/128 --keepalive 25");
        assertEquals("peer " + KEY + " added", result);
        PeerConfig added = node.peers.get(NodeKey.parse(KEY));
        assertEquals(EndpointSpec.parseList("udp:192.0.2.7:51820"), added.endpoints());
        assertEquals(List.of(IpPrefix.parse("10.99.0.2/32"), IpPrefix.parse("fd00::2/128")), added.allowedIps());
        assertEquals(25, added.persistentKeepaliveSeconds());
    }

    @Test
    void anUnquotedIpv6EndpointIsTakenAsWgTakesIt() throws Exception {
        session.execute("tm:peer-add " + KEY + " --endpoint [fd78::2]:51820 --allowed-ips 10.99.0.2/32");
        assertEquals(EndpointSpec.parseList("udp:[fd78::2]:51820"), node.peers.get(NodeKey.parse(KEY)).endpoints());
    }

    @Test
    void severalEndpointsOfAnyTransportAreCommaSeparated() throws Exception {
        session.execute("tm:peer-add " + KEY + " --endpoint relay:eu-1,udp:[fd78::2]:51820,192.0.2.7:51820 --allowed-ips 10.99.0.2/32");
        assertEquals(List.of(new EndpointSpec("relay", "eu-1"), new EndpointSpec("udp", "[fd78::2]:51820"),
                new EndpointSpec("udp", "192.0.2.7:51820")), node.peers.get(NodeKey.parse(KEY)).endpoints());
        session.execute("tm:peer-add " + KEY + " --endpoint udp:[fd78::3]:51820 --allowed-ips 10.99.0.2/32");
        assertEquals(List.of(new EndpointSpec("udp", "[fd78::3]:51820")), node.peers.get(NodeKey.parse(KEY)).endpoints());
        session.execute("tm:peer-add " + KEY + " --endpoint [fd78::3]:51820,[fd78::4]:1 --allowed-ips 10.99.0.2/32");
        assertEquals(EndpointSpec.parseList("[fd78::3]:51820,[fd78::4]:1"), node.peers.get(NodeKey.parse(KEY)).endpoints());
        assertEquals(2, node.peers.get(NodeKey.parse(KEY)).endpoints().size());
    }

    @Test
    void aKeyStartingWithTwoSlashesWorksQuotedAndSaysSoUnquoted() throws Exception {
        String slashes = "//bcJN32pxyJq9k7+zQuJlbj9ntkZq81A188PsF41UU=";
        assertEquals("peer " + slashes + " added", session.execute("tm:peer-add '" + slashes + "' --allowed-ips 10.99.0.2/32"));
        // unquoted, Gogo reads "//" as the start of a comment and the command gets no arguments at all
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> session.execute("tm:peer-add " + slashes + " --allowed-ips 10.99.0.2/32"));
        assertTrue(e.getMessage().startsWith("tm:peer-add needs the peer's public key"), e.getMessage());
        assertTrue(e.getMessage().contains("quotes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> session.execute("tm:peer-remove " + slashes));
        assertTrue(e.getMessage().startsWith("tm:peer-remove needs the peer's public key"), e.getMessage());
        assertEquals("peer " + slashes + " removed", session.execute("tm:peer-remove \"" + slashes + "\""));
    }

    @Test
    void optionsMayComeFirstAndEndpointIsOptional() throws Exception {
        session.execute("tm:peer-add --allowed-ips 10.99.0.3/32 " + KEY);
        PeerConfig added = node.peers.get(NodeKey.parse(KEY));
        assertEquals(List.of(), added.endpoints());
        assertEquals(0, added.persistentKeepaliveSeconds());
    }

    @Test
    void badInputFailsWithOneLineNamingIt() {
        Exception e = assertThrows(IllegalArgumentException.class,
                () -> session.execute("tm:peer-add " + KEY + " --allowed-ips 10.99.0.300/32"));
        assertTrue(e.getMessage().contains("10.99.0.300/32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> session.execute("tm:peer-add notakey --allowed-ips 10.0.0.1/32"));
        assertTrue(e.getMessage().startsWith("public key"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> session.execute("tm:peer-add " + KEY + " --endpoint nowhere"));
        assertEquals("endpoint 'nowhere' needs HOST:PORT, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> session.execute("tm:peer-add " + KEY + " --keepalive forever"));
        assertTrue(e.getMessage().startsWith("--keepalive 'forever'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> session.execute("tm:peer-remove " + KEY));
        assertTrue(e.getMessage().contains("is not known"), e.getMessage());
    }

    @Test
    void peerRemoveRemoves() throws Exception {
        session.execute("tm:peer-add " + KEY + " --allowed-ips 10.99.0.2/32");
        assertEquals("peer " + KEY + " removed", session.execute("tm:peer-remove " + KEY));
        assertTrue(node.peers.isEmpty());
    }

    @Test
    void peersPrintsOneLabelledLinePerField() throws Exception {
        String other = "Q75aPkzgQk9ZBM7sER749z8bvXT00vfWhGq6j4GXThc=";
        List<CandidateStatus> candidates = List.of(
                new CandidateStatus(EndpointSpec.parse("relay:eu-1"), CandidateStatus.State.WAITING, "no transport named relay is bound"),
                new CandidateStatus(EndpointSpec.parse("192.0.2.7:51820"), CandidateStatus.State.USABLE, ""),
                new CandidateStatus(EndpointSpec.parse("gw.invalid:51820"), CandidateStatus.State.REFUSED,
                        "endpoint 'udp:gw.invalid:51820': cannot resolve host 'gw.invalid'"));
        node.status = List.of(new PeerStatus(NodeKey.parse(KEY), new TextEndpoint("udp:192.0.2.7:51820"), candidates,
                List.of(IpPrefix.parse("10.99.0.2/32")), NOW.minusSeconds(13).plusNanos(293_744_206), 1234, 5678, 25, null, "bravo"),
                new PeerStatus(NodeKey.parse(other), null, List.of(), List.of(), null, 0, 0, 0, "HANDSHAKE_FAILED", ""));
        assertEquals("""
                peer: %s
                  name: bravo
                  endpoint: udp:192.0.2.7:51820
                  path: direct udp:192.0.2.7:51820
                  rtt: unknown
                  candidates: relay:eu-1 (waiting: no transport named relay is bound), udp:192.0.2.7:51820, udp:gw.invalid:51820 (refused: endpoint 'udp:gw.invalid:51820': cannot resolve host 'gw.invalid')
                  allowed ips: 10.99.0.2/32
                  latest handshake: 2026-11-26T00:59:47Z (12 s ago)
                  transfer: 1234 B received, 5678 B sent
                  persistent keepalive: every 25 s
                  last error: none

                peer: %s
                  endpoint: (none)
                  path: none
                  rtt: unknown
                  candidates: (none)
                  allowed ips: (none)
                  latest handshake: never
                  transfer: 0 B received, 0 B sent
                  persistent keepalive: off
                  last error: HANDSHAKE_FAILED""".formatted(KEY, other), session.execute("tm:peers"));
    }

    @Test
    void aRelayedPeerSaysWhichRelayItsRoundTripAndWhyNotDirect() throws Exception {
        String relayKey = "Q75aPkzgQk9ZBM7sER749z8bvXT00vfWhGq6j4GXThc=";
        node.status = List.of(new PeerStatus(NodeKey.parse(KEY), new TextEndpoint("relay:" + KEY + "@203.0.113.1:7443", true),
                List.of(), List.of(IpPrefix.parse("100.64.0.2/32")), null, 0, 0, 0, null, "bravo", 2_140_000,
                "3 candidates tried, no answer"),
                new PeerStatus(NodeKey.parse(relayKey), new TextEndpoint("udp:203.0.113.20:51820"), List.of(), List.of(), null, 0, 0,
                        0, null, "", 1_320_000, ""));
        String text = session.execute("tm:peers").toString();
        assertTrue(text.contains("\n  endpoint: relay:" + KEY + "@203.0.113.1:7443\n  path: relay 203.0.113.1:7443\n  rtt: 2.1 ms\n"
                + "  why relayed: 3 candidates tried, no answer\n  candidates"), text);
        assertTrue(text.contains("\n  path: direct udp:203.0.113.20:51820\n  rtt: 1.3 ms\n  candidates"), text);
        assertEquals(1, text.split("why relayed", -1).length - 1, "only the relayed peer says why: " + text);
    }

    @Test
    void statusPrintsOneLabelledLinePerField() throws Exception {
        assertEquals("""
                state: up
                public key: %s
                key source: file /root/.ssh/id_ed25519
                interface: tm0
                address: 10.99.0.1/24
                listening port: 51820
                transports: udp
                drops: NO_ROUTE=2""".formatted(KEY), session.execute("tm:status"));
    }

    /** A node that records what the commands ask of it. */
    /** A transport's endpoint as the shell sees one: only its text matters. */
    record TextEndpoint(String text, boolean relayed) implements Endpoint {
        TextEndpoint(String text) {
            this(text, false);
        }

        @Override
        public String transport() {
            return text.substring(0, text.indexOf(':'));
        }

        @Override
        public byte[] dstToBytes() {
            return text.getBytes();
        }

        @Override
        public byte[] dstHostBytes() {
            return text.getBytes();
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static final class RecordingNode implements MeshNode {
        final Map<NodeKey, PeerConfig> peers = new LinkedHashMap<>();
        List<PeerStatus> status = new ArrayList<>();

        @Override
        public NodeStatus status() {
            return new NodeStatus(NodeKey.parse(KEY), "file /root/.ssh/id_ed25519", "tm0", List.of(IpPrefix.parse("10.99.0.1/24")),
                    51820, List.of("udp"), Map.of("NO_ROUTE", 2L), "up", "");
        }

        @Override
        public List<PeerStatus> peers() {
            return status;
        }

        @Override
        public void addPeer(PeerConfig peer) {
            peers.put(peer.publicKey(), peer);
        }

        @Override
        public boolean removePeer(NodeKey publicKey) {
            return peers.remove(publicKey) != null;
        }

        @Override
        public java.util.Optional<io.tunnelmesh.api.node.PingReply> ping(NodeKey publicKey, java.time.Duration timeout) {
            return java.util.Optional.empty();
        }
    }
}
