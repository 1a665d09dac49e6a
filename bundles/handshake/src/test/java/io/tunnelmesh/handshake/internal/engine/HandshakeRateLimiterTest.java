package io.tunnelmesh.handshake.internal.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The limiter counts per host as the endpoint's transport names it. */
class HandshakeRateLimiterTest {
    private static boolean burstSpent(HandshakeRateLimiter limiter, byte[] host) {
        for (int i = 0; i < HandshakeRateLimiter.BURST; i++) {
            limiter.allow(host, 0);
        }
        return !limiter.allow(host, 0);
    }

    @Test
    void anIpv6Slash64IsOneHostAndOtherTransportsHostsAreTheirBytes() {
        HandshakeRateLimiter limiter = new HandshakeRateLimiter();
        byte[] v6 = new byte[16];
        v6[0] = (byte) 0xfd;
        assertTrue(burstSpent(limiter, v6));
        byte[] sameSlash64 = v6.clone();
        sameSlash64[15] = 7;
        assertFalse(limiter.allow(sameSlash64, 0), "another address of the same /64 shares the bucket");

        byte[] relayA = "relay-peer-a.example".getBytes(StandardCharsets.US_ASCII);
        byte[] relayB = "relay-peer-b.example".getBytes(StandardCharsets.US_ASCII);
        assertTrue(burstSpent(limiter, relayA));
        assertTrue(limiter.allow(relayB, 0), "another host of another transport has its own bucket");
        assertTrue(limiter.allow(relayA, HandshakeRateLimiter.BURST * 1_000_000_000L), "the bucket refills");
    }
}
