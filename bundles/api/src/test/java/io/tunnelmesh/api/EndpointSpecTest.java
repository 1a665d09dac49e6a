package io.tunnelmesh.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSpecTest {
    @Test
    void bareHostPortIsUdpAndAPrefixNamesTheTransport() {
        assertEquals(new EndpointSpec("udp", "192.0.2.1:51820"), EndpointSpec.parse("192.0.2.1:51820"));
        assertEquals(new EndpointSpec("udp", "[fd00::2]:51820"), EndpointSpec.parse(" [fd00::2]:51820 "));
        assertEquals(new EndpointSpec("udp", "host:51820"), EndpointSpec.parse("host:51820"), "a host name, not a transport");
        assertEquals(new EndpointSpec("udp", "[fd00::2]:51820"), EndpointSpec.parse("udp:[fd00::2]:51820"));
        assertEquals(new EndpointSpec("udp", "gw.example.net:51820"), EndpointSpec.parse("udp:gw.example.net:51820"));
        assertEquals(new EndpointSpec("mem", "b:7"), EndpointSpec.parse("mem:b:7"));
        assertEquals(new EndpointSpec("relay-2", "eu-1"), EndpointSpec.parse("relay-2:eu-1"));
        assertEquals("udp:192.0.2.1:51820", EndpointSpec.parse("192.0.2.1:51820").toString(), "always printed with its transport");
        assertEquals(EndpointSpec.parse("udp:[fd00::2]:51820"), EndpointSpec.parse(EndpointSpec.parse("[fd00::2]:51820").toString()));
        assertEquals("udp:[fd00::7]:51820", EndpointSpec.parse("[fd00:0::7]:51820").toString(), "an IPv6 literal in its short form");
    }

    @Test
    void aListKeepsTheOrderOfPreference() {
        assertEquals(List.of(new EndpointSpec("mem", "b"), new EndpointSpec("udp", "192.0.2.1:51820")),
                EndpointSpec.parseList("mem:b, 192.0.2.1:51820,,udp:192.0.2.1:51820"));
        assertEquals(List.of(), EndpointSpec.parseList(" "));
    }

    @Test
    void badTextGetsOneLineNamingTheEndpointAndWhatToWrite() {
        assertEquals("endpoint 'nowhere' needs HOST:PORT, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820", message("nowhere"));
        assertEquals("endpoint 'fd00::2:51820': put an IPv6 address in brackets, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820",
                message("fd00::2:51820"), "an unbracketed IPv6 address is not taken for a transport named fd00");
        assertEquals("endpoint '192.0.2.1:0' has no valid port: use 1-65535", message("192.0.2.1:0"));
        assertEquals("udp endpoint 'host' needs HOST:PORT, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820", message("udp:host"));
        assertEquals("endpoint 'mem:' has no address after 'mem:': write TRANSPORT:ADDRESS, e.g. 192.0.2.1:51820,"
                + " [fd00::2]:51820 or udp:[fd00::2]:51820", message("mem:"));
        assertEquals("endpoint is empty: write HOST:PORT or TRANSPORT:ADDRESS, e.g. 192.0.2.1:51820, [fd00::2]:51820"
                + " or udp:[fd00::2]:51820", message(" "));
        assertEquals("transport name 'Mem' is not valid: use a lower-case letter, then lower-case letters, digits or '-',"
                + " e.g. udp", assertThrows(IllegalArgumentException.class, () -> new EndpointSpec("Mem", "b")).getMessage());
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> EndpointSpec.parse(text)).getMessage();
    }
}
