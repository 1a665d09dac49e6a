package io.tunnelmesh.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SocketEndpointTest {
    record Udp(InetSocketAddress address) implements SocketEndpoint {
        @Override
        public String transport() {
            return "udp";
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aCookieIsBoundToTheAddressThenThePortBigEndianAndRateLimitsToTheAddress() {
        Udp v4 = new Udp(new InetSocketAddress("192.0.2.1", 51820));
        assertArrayEquals(HEX.parseHex("c0000201ca6c"), v4.dstToBytes());
        assertArrayEquals(HEX.parseHex("c0000201"), v4.dstHostBytes());

        Udp v6 = new Udp(new InetSocketAddress("2001:db8::7", 443));
        assertArrayEquals(HEX.parseHex("20010db800000000000000000000000701bb"), v6.dstToBytes());
        assertArrayEquals(HEX.parseHex("20010db8000000000000000000000007"), v6.dstHostBytes());
    }
}
