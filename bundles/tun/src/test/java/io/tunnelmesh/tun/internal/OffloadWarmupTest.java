package io.tunnelmesh.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The warm-up's made-up packets really go through the whole codec: cut into segments and merged back. */
class OffloadWarmupTest {
    @Test
    void everySuperPacketIsCutAndMergedBackIntoOneWrite() {
        OffloadWarmup warmup = new OffloadWarmup(1420);
        int rounds = warmup.run(() -> false);
        assertTrue(rounds > 1000, "rounds within the budget: " + rounds);
        assertEquals(2L * rounds, warmup.roundTrips,
                "an IPv4 and an IPv6 super-packet per round, each merged whole beside the other packet in its batch");
    }

    @Test
    void everyOtherKindOfPacketIsWrittenAloneFromABatchOfOne() {
        OffloadWarmup warmup = new OffloadWarmup(1420);
        int rounds = warmup.run(() -> false);
        // ICMP echo, ICMPv6 echo, UDP over IPv4 and IPv6, a pure TCP ACK over IPv4 and IPv6
        assertEquals(6L * rounds, warmup.singles, "six single-packet writes per round");
    }

    @Test
    void stopsWhenTheDeviceCloses() {
        AtomicInteger checks = new AtomicInteger();
        assertEquals(5, new OffloadWarmup(1420).run(() -> checks.incrementAndGet() > 5));
    }
}
