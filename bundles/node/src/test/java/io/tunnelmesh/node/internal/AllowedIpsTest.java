package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tunnelmesh.api.IpPrefix;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AllowedIpsTest {
    private static byte[] ip(String address) {
        return Packets.address(address).getAddress();
    }

    private static InetAddress inet(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static AllowedIps<String> table(String... prefixAndValue) {
        AllowedIps.Builder<String> b = new AllowedIps.Builder<>();
        for (int i = 0; i < prefixAndValue.length; i += 2) {
            b.add(IpPrefix.parse(prefixAndValue[i]), prefixAndValue[i + 1]);
        }
        return b.build();
    }

    @Test
    void longestIpv4PrefixWins() {
        AllowedIps<String> t = table("10.0.0.0/8", "a", "10.1.0.0/16", "b", "10.1.2.3/32", "c", "0.0.0.0/0", "default");
        assertEquals("c", t.lookup(ip("10.1.2.3")));
        assertEquals("b", t.lookup(ip("10.1.2.4")));
        assertEquals("a", t.lookup(ip("10.2.0.1")));
        assertEquals("default", t.lookup(ip("192.0.2.1")));
    }

    @Test
    void ipv4WithoutDefaultRouteMissesOutsideItsPrefixes() {
        AllowedIps<String> t = table("10.99.0.0/24", "mesh", "10.99.0.128/25", "upper");
        assertEquals("mesh", t.lookup(ip("10.99.0.127")));
        assertEquals("upper", t.lookup(ip("10.99.0.128")));
        assertNull(t.lookup(ip("10.99.1.1")));
        assertNull(t.lookup(ip("fd00::1")), "an IPv6 address never matches IPv4 prefixes");
    }

    @Test
    void longestIpv6PrefixWins() {
        AllowedIps<String> t = table("fd00::/8", "ula", "fd00:1::/32", "site", "fd00:1::7/128", "host", "::/0", "default");
        assertEquals("host", t.lookup(ip("fd00:1::7")));
        assertEquals("site", t.lookup(ip("fd00:1::8")));
        assertEquals("ula", t.lookup(ip("fd01::1")));
        assertEquals("default", t.lookup(ip("2001:db8::1")));
        assertNull(t.lookup(ip("10.0.0.1")));
    }

    @Test
    void addingAPrefixAgainMovesIt() {
        AllowedIps<String> t = table("10.0.0.0/24", "first", "10.0.0.0/24", "second");
        assertEquals("second", t.lookup(ip("10.0.0.9")));
    }

    @Test
    void looksUpInsidePacketsAtAnOffset() {
        byte[] packet = Packets.ipv4("10.0.0.1", "10.0.0.2", new byte[8]);
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.put(new byte[5]).put(packet);
        AllowedIps<String> t = table("10.0.0.2/32", "dst", "10.0.0.1/32", "src");
        assertEquals("dst", t.lookup(direct, 5 + 16, 4));
        assertEquals("src", t.lookup(direct, 5 + 12, 4));
    }

    @Test
    void agreesWithALinearScanOnRandomTables() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            boolean v6 = round % 2 == 1;
            List<IpPrefix> prefixes = new ArrayList<>();
            AllowedIps.Builder<IpPrefix> b = new AllowedIps.Builder<>();
            for (int i = 0; i < 60; i++) {
                byte[] raw = randomAddress(random, v6);
                IpPrefix p = IpPrefix.of(inet(raw), random.nextInt(raw.length * 8 + 1));
                prefixes.remove(p);
                prefixes.add(p);
                b.add(p, p);
            }
            AllowedIps<IpPrefix> t = b.build();
            for (int i = 0; i < 500; i++) {
                byte[] probe = randomAddress(random, v6);
                IpPrefix expected = null;
                for (IpPrefix p : prefixes) {
                    if (p.contains(probe, 0, probe.length) && (expected == null || p.length() > expected.length())) {
                        expected = p;
                    }
                }
                assertEquals(expected, t.lookup(probe));
            }
        }
    }

    /** Addresses clustered in a few /16s so that random prefixes overlap and nest often. */
    private static byte[] randomAddress(Random random, boolean v6) {
        byte[] raw = new byte[v6 ? 16 : 4];
        random.nextBytes(raw);
        raw[0] = (byte) (10 + random.nextInt(2));
        raw[1] = (byte) random.nextInt(2);
        return raw;
    }
}
