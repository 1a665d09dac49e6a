package io.tunnelmesh.transport.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings and endpoint text: what an operator writes, and the one-line errors for what is wrong. */
class RelaySettingsTest {
    private static final String KEY = "AH0rTgKvdctq4nmVmHqOQC4UCGs/FupdYcaTffqI6lg=";
    private static final String PEER = "BdG4/6h7L5Xplgu63Vy7oVmaGxZ6iUuxX57VhJyR5FY=";

    @Test
    void serversComeFromTheOwnListAndTheCoordinatorLink() {
        RelaySettings s = RelaySettings.parse(Map.of(RelaySettings.SERVERS, "192.0.2.1:443=" + KEY,
                RelaySettings.COORDINATOR_SERVERS, "198.51.100.1:7443=" + PEER + ",[2001:db8::1]:7443=" + PEER));
        assertEquals(3, s.servers().size());
        assertEquals(PEER, s.servers().get(new InetSocketAddress("2001:db8::1", 7443)).key().toBase64());
        assertEquals(RelaySettings.DEFAULT_QUEUE_BYTES, s.queueBytes());
        RelaySettings off = RelaySettings.parse(Map.of(RelaySettings.USE_COORDINATOR, "false",
                RelaySettings.COORDINATOR_SERVERS, "198.51.100.1:7443=" + PEER));
        assertTrue(off.servers().isEmpty(), "use.coordinator=false ignores the coordinator");
    }

    @Test
    void badSettingsAreOneLine() {
        for (Map<String, String> bad : java.util.List.of(Map.of(RelaySettings.SERVERS, "192.0.2.1:443"),
                Map.of(RelaySettings.SERVERS, "192.0.2.1:443=notakey="), Map.of(RelaySettings.QUEUE_BYTES, "12"),
                Map.of(RelaySettings.QUEUE_BYTES, "lots"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RelaySettings.parse(bad));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void endpointsNameAPeerAndAKnownServer() {
        RelaySettings s = RelaySettings.parse(Map.of(RelaySettings.SERVERS, "192.0.2.1:443=" + KEY));
        RelayEndpoint e = RelayEndpoint.parse(PEER + "@192.0.2.1:443", s.servers());
        assertEquals("relay:" + PEER + "@192.0.2.1:443", e.toString());
        assertEquals(e, RelayEndpoint.parse(e.toString().substring("relay:".length()), s.servers()));
        assertTrue(e.relayed());
        assertEquals("relay", e.transport());
        for (String bad : new String[] {"192.0.2.1:443", PEER + "@", "nokey@192.0.2.1:443", PEER + "@192.0.2.9:443"}) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> RelayEndpoint.parse(bad, s.servers()));
            assertTrue(x.getMessage().startsWith("endpoint 'relay:" + bad + "'"), x.getMessage());
            assertEquals(1, x.getMessage().lines().count());
        }
    }
}
