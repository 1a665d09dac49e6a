package io.tunnelmesh.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
    @Test
    void hostBitsAreClearedForTheNetworkButKeptAsWritten() throws Exception {
        IpPrefix p = IpPrefix.parse("10.99.0.7/24");
        assertEquals("10.99.0.0/24", p.toString());
        assertEquals(InetAddress.getByName("10.99.0.7"), p.address());
        assertEquals(p, IpPrefix.parse("10.99.0.200/24"));
        assertEquals("fd00::/64", IpPrefix.parse("fd00::1234/64").toString());
        assertEquals("fd00::1234/64", IpPrefix.parse("fd00::1234/64").toAddressString());
        assertEquals("10.99.0.7/24", p.toAddressString());
    }

    @Test
    void ipv6IsPrintedInTheShortFormOperatorsWrite() throws Exception {
        String[][] cases = {{"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, {"0:0:0:0:0:0:0:1", "::1"},
            {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, {"fd00:0:0:0:0:0:0:0", "fd00::"},
            {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"}};
        for (String[] c : cases) {
            assertEquals(c[1], AddressFormat.format(InetAddress.getByName(c[0])), c[0]);
        }
    }

    @Test
    void bareAddressIsOneHost() {
        assertEquals(32, IpPrefix.parse("192.0.2.1").length());
        assertEquals(128, IpPrefix.parse("2001:db8::1").length());
    }

    @Test
    void containsMatchesTheRightBitsOnly() throws Exception {
        IpPrefix p = IpPrefix.parse("10.99.0.0/23");
        assertTrue(p.contains(InetAddress.getByName("10.99.1.255")));
        assertFalse(p.contains(InetAddress.getByName("10.99.2.0")));
        assertFalse(p.contains(InetAddress.getByName("fd00::1")), "families never match");
        IpPrefix all = IpPrefix.parse("0.0.0.0/0");
        assertTrue(all.contains(InetAddress.getByName("203.0.113.9")));
        IpPrefix v6 = IpPrefix.parse("fd00:aa::/33");
        assertTrue(v6.contains(InetAddress.getByName("fd00:aa:7fff::1")));
        assertFalse(v6.contains(InetAddress.getByName("fd00:aa:8000::1")));
    }

    @Test
    void containsReadsTheAddressInsideAPacketWithoutCopying() throws Exception {
        byte[] packet = new byte[20];
        System.arraycopy(InetAddress.getByName("10.99.0.9").getAddress(), 0, packet, 16, 4);
        assertTrue(IpPrefix.parse("10.99.0.0/24").contains(packet, 16, 4));
        assertFalse(IpPrefix.parse("10.98.0.0/24").contains(packet, 16, 4));
    }

    @Test
    void badPrefixesAreNamedWithTheFixingForm() {
        for (String bad : new String[] {"10.99.0.0/33", "fd00::/129", "example.com/24", "10.99.0/24", "10.99.0.0/x", ""}) {
            var e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad) || e.getMessage().contains("out of range"), e.getMessage());
        }
    }

    @Test
    void peerKeepaliveRangeIsWireGuards() {
        NodeKey k = NodeKey.of(new byte[32]);
        assertEquals(25, new PeerConfig(k, null, null, 25).persistentKeepaliveSeconds());
        var e = assertThrows(IllegalArgumentException.class, () -> new PeerConfig(k, null, null, 70000));
        assertTrue(e.getMessage().contains("0 (off) or 1-65535"), e.getMessage());
    }
}
