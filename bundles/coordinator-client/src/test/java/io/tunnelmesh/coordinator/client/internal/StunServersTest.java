package io.tunnelmesh.coordinator.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.HostPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StunServersTest {
    private final HostPort coordinator = new HostPort("198.51.100.1", 7443);

    private static List<String> servers(String setting, HostPort coordinator) {
        return StunServers.parse(setting == null ? Map.of() : Map.of(StunServers.KEY, setting)).resolve(coordinator);
    }

    @Test
    void byDefaultOnlyTheCoordinatorsResponderIsAsked() {
        assertEquals(List.of("198.51.100.1:3478"), servers(null, coordinator));
        assertEquals(List.of("[2001:db8::1]:3478"), servers(null, new HostPort("2001:db8::1", 7443)));
    }

    @Test
    void theSettingAddsReplacesOrTurnsOff() {
        assertEquals(List.of("198.51.100.1:3478", "stun.example.org:19302"), servers("coordinator, stun.example.org:19302", coordinator));
        assertEquals(List.of("stun.example.org:19302"), servers("stun.example.org:19302", coordinator));
        assertEquals(List.of("198.51.100.1:3479"), servers("coordinator:3479", coordinator));
        assertEquals(List.of(), servers("", coordinator));
    }

    @Test
    void aMalformedEntryIsOneLineNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StunServers.parse(Map.of(StunServers.KEY, "coordinator,stun.example.org")));
        assertEquals(1, e.getMessage().lines().count());
        assertTrue(e.getMessage().contains("stun.servers entry 'stun.example.org'"), e.getMessage());
    }
}
