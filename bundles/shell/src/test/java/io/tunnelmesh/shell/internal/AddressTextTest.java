package io.tunnelmesh.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.api.IpPrefix;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressTextTest {
    private static String text(String address) throws Exception {
        return AddressText.address(InetAddress.getByName(address));
    }

    @Test
    void ipv6IsPrintedInTheShortForm() throws Exception {
        assertEquals("fd00::7", text("fd00:0:0:0:0:0:0:7"));
        assertEquals("::", text("::"));
        assertEquals("::1", text("::1"));
        assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");
        assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "a single zero group stays");
        assertEquals("fe80::", text("fe80::"));
        assertEquals("10.99.0.1", text("10.99.0.1"));
    }

    @Test
    void prefixesKeepHostBitsOnlyWhenAsked() {
        List<IpPrefix> p = List.of(IpPrefix.parse("10.99.0.1/24"), IpPrefix.parse("fd00::1/64"));
        assertEquals("10.99.0.1/24,fd00::1/64", AddressText.prefixes(p, true));
        assertEquals("10.99.0.0/24,fd00::/64", AddressText.prefixes(p, false));
        assertEquals("(none)", AddressText.prefixes(List.of(), false));
    }
}
