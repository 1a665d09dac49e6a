package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.StaticKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator writes (settings, durations, names, authorized_keys) and what the coordinator keeps on disk. */
class SettingsAndFilesTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAndFrameworkOverrides() {
        CoordinatorSettings defaults = CoordinatorSettings.parse(Map.of(), Map.of("tm.config", "/opt/tm/config")::get);
        assertEquals(7443, defaults.listen().getPort());
        assertTrue(defaults.listen().getAddress().isAnyLocalAddress());
        assertEquals("100.64.0.0/16", defaults.meshCidr().toString());
        assertEquals(Path.of("/opt/tm/config/authorized_keys"), defaults.authorizedKeys());
        assertEquals(3478, defaults.stunPort());

        CoordinatorSettings overridden = CoordinatorSettings.parse(Map.of("listen", "10.0.0.1:1000", "mesh.cidr", "10.9.0.0/16"),
                Map.of("tm.coordinator.listen", "[::1]:7000", "tm.coordinator.mesh-cidr", "100.100.0.0/20")::get);
        assertEquals(7000, overridden.listen().getPort());
        assertEquals("100.100.0.0/20", overridden.meshCidr().toString());
        assertEquals(List.of("[::1]:7000"), AdvertisedAddresses.of(overridden), "a specific listen address is advertised");
        assertEquals(3479, CoordinatorSettings.parse(Map.of("stun.port", 3479), k -> null).stunPort(), "ConfigAdmin gives an Integer");
        assertEquals(0, CoordinatorSettings.parse(Map.of("stun.port", 3479), Map.of("tm.coordinator.stun-port", "0")::get).stunPort(),
                "--stun-port wins, 0 = off");
    }

    @Test
    void badStunPortSaysWhatToWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CoordinatorSettings.parse(Map.of("stun.port", "70000"), k -> null));
        assertEquals("configuration property stun.port (io.tunnelmesh.coordinator) = '70000' is not valid: use a UDP port 1-65535, "
                + "or 0 for no STUN responder (default 3478)", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CoordinatorSettings.parse(Map.of(), Map.of("tm.coordinator.stun-port", "stun")::get));
    }

    @Test
    void badValuesSayWhichPropertyAndWhatToWrite() {
        IllegalArgumentException listen = assertThrows(IllegalArgumentException.class,
                () -> CoordinatorSettings.parse(Map.of(), Map.of("tm.coordinator.listen", "localhost:99999")::get));
        assertEquals("framework property tm.coordinator.listen = 'localhost:99999' is not valid: use IP:PORT (port 0 = any free one), e.g. 0.0.0.0:7443 or [::]:7443",
                listen.getMessage());
        IllegalArgumentException cidr = assertThrows(IllegalArgumentException.class,
                () -> CoordinatorSettings.parse(Map.of("mesh.cidr", "fd00::/64"), k -> null));
        assertTrue(cidr.getMessage().startsWith("configuration property mesh.cidr (io.tunnelmesh.coordinator) = 'fd00::/64'"),
                cidr.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CoordinatorSettings.parse(Map.of("advertise", "coord.example.net"), k -> null));
        assertEquals(List.of("coord.example.net:7443", "[2001:db8::1]:7443"), CoordinatorSettings.parse(
                Map.of("advertise", "coord.example.net:7443, [2001:db8::1]:7443"), k -> null).advertise());
    }

    @Test
    void wildcardListenAdvertisesThisMachinesAddresses() {
        List<String> advertised = AdvertisedAddresses.of(CoordinatorSettings.parse(Map.of(), k -> null));
        assertFalse(advertised.isEmpty());
        assertTrue(advertised.stream().allMatch(a -> a.endsWith(":7443") && !a.startsWith("0.0.0.0")), advertised.toString());
        assertTrue(advertised.size() <= AdvertisedAddresses.MAX);
    }

    @Test
    void coordinatorKeyIsCreatedPrivateAndThenKept() throws Exception {
        Path file = dir.resolve("data/coordinator.key");
        StaticKeyPair first = CoordinatorKeyFile.loadOrCreate(file);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(first.publicKey(), CoordinatorKeyFile.loadOrCreate(file).publicKey());
    }

    @Test
    void corruptCoordinatorKeyIsOneLineAndNeverReplaced() throws Exception {
        Path file = dir.resolve("coordinator.key");
        Files.writeString(file, "not a key\n");
        IOException e = assertThrows(IOException.class, () -> CoordinatorKeyFile.loadOrCreate(file));
        assertTrue(e.getMessage().contains(file + " is corrupt"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals("not a key\n", Files.readString(file), "the operator's file is left alone");
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofHours(24), Durations.parse("24h"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("1 week"));
        assertTrue(e.getMessage().contains("e.g. 30m, 24h, 7d"));
    }

    @Test
    void namesAreDnsLabels() throws Exception {
        assertEquals("my-laptop", NodeNames.fromHostname("My_Laptop.example.org"));
        assertEquals("node", NodeNames.fromHostname("..."));
        assertEquals(NodeNames.MAX_DERIVED, NodeNames.fromHostname("a".repeat(100)).length());
        assertEquals("web-1", NodeNames.explicit("web-1"));
        for (String bad : List.of("-web", "web-", "Web", "a_b", "a".repeat(64), "")) {
            Refusal r = assertThrows(Refusal.class, () -> NodeNames.explicit(bad), bad);
            assertEquals(Refusal.BAD_HELLO, r.code());
        }
    }

    @Test
    void authorizedKeysLinesWithOptionsAndComments() {
        java.nio.ByteBuffer blob = java.nio.ByteBuffer.allocate(4 + 11 + 4 + 32);
        blob.putInt(11).put("ssh-ed25519".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(32);
        String key = java.util.Base64.getEncoder().encodeToString(blob.array());
        AuthorizedKeys.Entry plain = AuthorizedKeys.parse("ssh-ed25519 " + key + " alice@laptop");
        assertEquals(key, plain.base64());
        assertEquals("alice@laptop", plain.comment());
        AuthorizedKeys.Entry withOptions = AuthorizedKeys.parse("no-pty,command=\"echo hi there\" ssh-ed25519 " + key);
        assertEquals(key, withOptions.base64());
        assertEquals(null, AuthorizedKeys.parse("ssh-rsa " + key + " wrong type"));
        assertEquals(null, AuthorizedKeys.parse("garbage"));
    }
}
