package io.tunnelmesh.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.api.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressTextTest {
    @Test
    void prefixesKeepHostBitsOnlyWhenAsked() {
        List<IpPrefix> p = List.of(IpPrefix.parse("10.99.0.1/24"), IpPrefix.parse("fd00::1/64"));
        assertEquals("10.99.0.1/24,fd00::1/64", AddressText.prefixes(p, true));
        assertEquals("10.99.0.0/24,fd00::/64", AddressText.prefixes(p, false));
        assertEquals("(none)", AddressText.prefixes(List.of(), false));
    }

    @Test
    void ipv6IsShownInTheShortForm() {
        assertEquals("fd00::7/128", AddressText.prefixes(List.of(IpPrefix.parse("fd00:0:0:0:0:0:0:7/128")), false));
    }
}
