package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PresharedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {
    private static NodeSettings parse(Map<String, ?> config, Map<String, String> framework) {
        return NodeSettings.parse(config, framework::get);
    }

    @Test
    void defaultsWhenNothingIsConfigured() {
        NodeSettings s = parse(Map.of(), Map.of());
        assertEquals("tm0", s.interfaceName());
        assertEquals(List.of(), s.addresses());
        assertEquals(51820, s.listenPort());
        assertEquals(1420, s.mtu());
        assertNull(s.pskFile());
    }

    @Test
    void readsConfiguredValuesIncludingIpv4AndIpv6Addresses() {
        NodeSettings s = parse(Map.of("interface.name", "mesh7", "address", "10.99.0.1/24, fd00::1/64", "listen.port", "5000",
                "mtu", 1380, "psk.file", "/etc/tm/psk"), Map.of());
        assertEquals("mesh7", s.interfaceName());
        assertEquals(List.of(IpPrefix.parse("10.99.0.1/24"), IpPrefix.parse("fd00::1/64")), s.addresses());
        assertEquals("10.99.0.1", s.addresses().get(0).address().getHostAddress(), "the host part is kept");
        assertEquals(5000, s.listenPort());
        assertEquals(1380, s.mtu());
        assertEquals(Path.of("/etc/tm/psk"), s.pskFile());
    }

    @Test
    void commandLineOverridesWin() {
        NodeSettings s = parse(Map.of("interface.name", "tm0", "address", "10.99.0.1/24", "listen.port", "51820"),
                Map.of("tm.up.interface", "tm9", "tm.up.address", "10.98.0.5/16", "tm.up.listen-port", "0", "tm.up.psk-file", "/x"));
        assertEquals("tm9", s.interfaceName());
        assertEquals(List.of(IpPrefix.parse("10.98.0.5/16")), s.addresses());
        assertEquals(0, s.listenPort());
        assertEquals(Path.of("/x"), s.pskFile());
    }

    @Test
    void badValuesNameThePropertyAndTheValue() {
        assertEquals("io.tunnelmesh.node listen.port '70000' is not valid: use 0 (any free port) or 1-65535, e.g. 51820",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of("listen.port", "70000"), Map.of())).getMessage());
        assertEquals("--listen-port (tm.up.listen-port) 'abc' is not valid: use 0 (any free port) or 1-65535, e.g. 51820",
                assertThrows(IllegalArgumentException.class, () -> parse(Map.of(), Map.of("tm.up.listen-port", "abc"))).getMessage());
        String address = assertThrows(IllegalArgumentException.class, () -> parse(Map.of("address", "10.99.0.1/40"), Map.of())).getMessage();
        assertTrue(address.startsWith("io.tunnelmesh.node address '10.99.0.1/40' is not valid: prefix length 40"), address);
        String name = assertThrows(IllegalArgumentException.class, () -> parse(Map.of("interface.name", "a-very-long-interface"), Map.of())).getMessage();
        assertTrue(name.startsWith("io.tunnelmesh.node interface.name 'a-very-long-interface' is not valid"), name);
        String mtu = assertThrows(IllegalArgumentException.class, () -> parse(Map.of("mtu", "100"), Map.of())).getMessage();
        assertTrue(mtu.startsWith("io.tunnelmesh.node mtu '100'"), mtu);
    }

    @Test
    void loadsThePskAsWgGenpskWritesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("psk");
        Files.writeString(file, "FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=\n");
        PresharedKey psk = parse(Map.of("psk.file", file.toString()), Map.of()).loadPsk();
        assertEquals("FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=", psk.toBase64());
        assertTrue(parse(Map.of(), Map.of()).loadPsk().isNone());
    }

    @Test
    void missingOrBrokenPskFileSaysWhatToDo(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope");
        String m = assertThrows(IllegalArgumentException.class, () -> parse(Map.of("psk.file", missing.toString()), Map.of()).loadPsk()).getMessage();
        assertEquals("psk.file " + missing + " does not exist: create it with `wg genpsk > " + missing
                + "` and give every node of the mesh the same file", m);
        Path broken = dir.resolve("broken");
        Files.writeString(broken, "not a key");
        m = assertThrows(IllegalArgumentException.class, () -> parse(Map.of("psk.file", broken.toString()), Map.of()).loadPsk()).getMessage();
        assertTrue(m.startsWith("psk.file " + broken + ": pre-shared key"), m);
    }
}
