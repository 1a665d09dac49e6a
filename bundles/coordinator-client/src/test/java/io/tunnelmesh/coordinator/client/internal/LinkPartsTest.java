package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.control.ControlFrames;
import io.tunnelmesh.control.NodeEntry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link's small parts: settings, backoff, entry conversion, frame reading across read timeouts. */
class LinkPartsTest {
    private final String key = TestKeys.keyPair().publicKey().toBase64();

    @Test
    void settingsParseAndBadValuesAreOneLineNamingTheFile() {
        LinkSettings s = LinkSettings.parse(Map.of("coordinator.key", key, "coordinator.addresses", "10.0.0.1:7443, [fd00::1]:7443",
                "name", "laptop"));
        assertEquals(List.of(new HostPort("10.0.0.1", 7443), new HostPort("fd00::1", 7443)), s.addresses());
        assertEquals("[fd00::1]:7443", s.addresses().get(1).toString());
        assertEquals("laptop", s.name());
        assertNull(LinkSettings.parse(Map.of("coordinator.key", key, "coordinator.addresses", "h:1")).name());

        String bad = assertThrows(IllegalArgumentException.class,
                () -> LinkSettings.parse(Map.of("coordinator.key", "nope", "coordinator.addresses", "h:1"))).getMessage();
        assertTrue(bad.startsWith("config/io.tunnelmesh.coordinator.client.cfg: coordinator.key 'nope' is not"), bad);
        assertEquals(1, bad.lines().count());
        bad = assertThrows(IllegalArgumentException.class,
                () -> LinkSettings.parse(Map.of("coordinator.key", key, "coordinator.addresses", "h:99999"))).getMessage();
        assertTrue(bad.contains("coordinator.addresses: coordinator address 'h:99999' has no valid port"), bad);
        assertThrows(IllegalArgumentException.class, () -> LinkSettings.parse(Map.of("coordinator.key", key)));
    }

    @Test
    void backoffDoublesToItsCapWithFullJitterAndResets() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(7));
        long[] ceilings = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000};
        for (long ceiling : ceilings) {
            long d = b.next().toMillis();
            assertTrue(d >= 0 && d <= ceiling, d + " > " + ceiling);
        }
        for (int i = 0; i < 100; i++) {
            assertTrue(b.next().toMillis() <= 60000);
        }
        b.reset();
        assertTrue(b.next().toMillis() <= 1000);
        assertEquals(1, b.attempts());
    }

    @Test
    void aSmallMeshComesBackWithinSecondsALargeOneSpreadsItsReturn() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new Random(7));
        Duration floor = Duration.ofSeconds(8);
        assertEquals(floor, b.capFor(3, floor), "3 nodes: the floor");
        assertEquals(Duration.ofSeconds(25), b.capFor(5_000, floor), "5,000 nodes over 25 s: 200 reconnects/s");
        assertEquals(Duration.ofSeconds(60), b.capFor(100_000, floor), "never past the maximum");
        for (int i = 0; i < 50; i++) {
            assertTrue(b.next(b.capFor(3, floor)).toMillis() <= 8000, "a 3-node mesh waits at most 8 s between tries");
        }
    }

    @Test
    void anEntryBecomesAPeerWithItsUsableEndpointsAsCandidates() {
        NodeEntry e = new NodeEntry(key, "n", "100.64.0.9", "fd00::9", List.of("host.example:51820", "bad", "[2001:db8::9]:51820",
                "relay:eu-1", "192.0.2.9:51820", "udp:192.0.2.9:51820"), null, true);
        PeerConfig p = PeerEntries.toPeer(e, null);
        assertEquals(EndpointSpec.parseList("[2001:db8::9]:51820,relay:eu-1,192.0.2.9:51820"), p.endpoints(),
                "in the reported order, without host names, bad text or repeats");
        assertEquals(List.of(IpPrefix.parse("100.64.0.9/32"), IpPrefix.parse("fd00::9/128")), p.allowedIps());
        assertEquals(25, p.persistentKeepaliveSeconds());
        assertNull(PeerEntries.toPeer(new NodeEntry("not a key", "n", null, null, List.of(), null, true), null));
        assertEquals(List.of(), PeerEntries.toPeer(new NodeEntry(key, "n", "junk", "100.64.0.1/16", List.of(), null, true), null).allowedIps());
    }

    @Test
    void theCoordinatorsRelayIsTheLastCandidateOnce() {
        NodeEntry e = new NodeEntry(key, "n", "100.64.0.9", null, List.of("relay:" + key + "@198.51.100.1:7443",
                "192.0.2.9:51820"), null, true);
        PeerConfig p = PeerEntries.toPeer(e, HostPort.parse("198.51.100.1:7443", "coordinator", 7443));
        assertEquals(EndpointSpec.parseList("192.0.2.9:51820,relay:" + key + "@198.51.100.1:7443"), p.endpoints());
    }

    @Test
    void aFrameCutByTheReadTimeoutIsKeptWhole() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket peer = server.accept()) {
            client.setSoTimeout(50);
            FrameReader reader = new FrameReader(client.getInputStream());
            OutputStream out = peer.getOutputStream();
            assertNull(reader.poll());
            out.write(new byte[] {0, 5, 'h', 'e'});
            out.flush();
            assertNull(reader.poll()); // the timeout passes mid-frame
            out.write(new byte[] {'l', 'l', 'o'});
            ControlFrames.writeFrame(out, new byte[] {'!'});
            assertEquals("hello", new String(reader.poll()));
            assertEquals("!", new String(reader.poll()));
        }
    }
}
