package io.tunnelmesh.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void namesAndLiteralsOfBothFamiliesParseAndPrintBack() throws Exception {
        assertEquals(new HostPort("coord.example.net", 7443), HostPort.parse("coord.example.net:7443", "x", 7443));
        assertEquals("[fd00::1]:7443", HostPort.parse(" [fd00::1]:7443 ", "x", 7443).toString());
        assertTrue(HostPort.parse("192.0.2.1:1", "x", 7443).isIpLiteral());
        assertFalse(HostPort.parse("300.0.2.1:1", "x", 7443).isIpLiteral(), "not a dotted quad: a (strange) name");
        assertFalse(HostPort.parse("localhost:1", "x", 7443).isIpLiteral());
        assertEquals("[::1]:9", HostPort.format(InetAddress.getByName("::1"), 9));
        assertEquals("[::1]:9", HostPort.of(InetAddress.getByName("::1"), 9).toString());
    }

    @Test
    void badTextGetsOneLineNamingWhatAndHowToWriteIt() {
        assertEquals("endpoint 'nowhere' needs HOST:PORT, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820",
                message(() -> HostPort.parse("nowhere", "endpoint", 51820)));
        assertEquals("coordinator address 'fd00::1:7443': put an IPv6 address in brackets, e.g. 192.0.2.1:7443 or [2001:db8::1]:7443",
                message(() -> HostPort.parse("fd00::1:7443", "coordinator address", 7443)));
        assertEquals("listen 'h:99999' has no valid port: use 1-65535", message(() -> HostPort.parse("h:99999", "listen", 1)));
        assertEquals("listen 'h:http' has no valid port: use 1-65535", message(() -> HostPort.parse("h:http", "listen", 1)));
        assertTrue(message(() -> HostPort.parse("[nothex]:1", "x", 1)).startsWith("x '[nothex]:1' has no valid host"));
        assertTrue(message(() -> HostPort.parse("a b:1", "x", 1)).startsWith("x holds a blank"));
        assertTrue(message(() -> HostPort.parse("h\u0085:1", "x", 1)).startsWith("x holds a blank or a character that is not printable ASCII"),
                "never echoes a line break into a one-line error");
        assertTrue(message(() -> HostPort.parse("h:0", "x", 1)).contains("has no valid port"), "0 only where listening");
        assertEquals(0, HostPort.parseListen("127.0.0.1:0", "x", 1).port());
        assertTrue(message(() -> HostPort.parse("h".repeat(300) + ":1", "x", 1)).contains("needs HOST:PORT"), "over 255 characters");
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
