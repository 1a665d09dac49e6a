package io.tunnelmesh.transport.tcp.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class TcpEndpointTest {
    @Test
    void readsWhatAnOperatorWritesAfterTcpColon() throws Exception {
        TcpEndpoint v4 = TcpEndpoint.parse("198.51.100.7:51820");
        assertEquals("tcp:198.51.100.7:51820", v4.toString());
        assertEquals("tcp", v4.transport());
        assertEquals(new TcpEndpoint(new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 51820)), v4);
        assertEquals("tcp:[fd00::2]:443", TcpEndpoint.parse("[fd00::2]:443").toString());
        assertEquals(v4, TcpEndpoint.parse(v4.toString().substring("tcp:".length())), "toString reads back");
    }

    @Test
    void cookiesBindToAddressAndPortRateLimitsToTheHost() {
        TcpEndpoint e = TcpEndpoint.parse("198.51.100.7:51820");
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 7, (byte) (51820 >>> 8), (byte) 51820}, e.dstToBytes());
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 7}, e.dstHostBytes());
        assertFalse(e.equals(TcpEndpoint.parse("198.51.100.7:51821")), "another port is another connection");
    }

    @Test
    void badAddressesAreRefusedInOneLineNamingThem() {
        for (String bad : new String[] {"198.51.100.7", "fd00::2:51820", "host:99999", "two words:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TcpEndpoint.parse(bad));
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("tcp"), e.getMessage());
        }
    }
}
