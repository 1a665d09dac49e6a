package io.tunnelmesh.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real TCP transfer between two namespaces whose only link is a relay through two TUN devices using the batch
 * methods: with offload the bytes must arrive intact, and the kernel must really have handed over super-packets
 * and taken merged ones. Without offload (or when the kernel refuses it) the same transfer works one packet per
 * system call.
 */
class TunOffloadRelayTest {
    private static final long TOTAL = 24L << 20;
    private static final byte[] DATA = random(TOTAL);

    @Test
    void ipv4TransferIsSegmentedOnReadAndMergedOnWrite() throws Exception {
        assertOffloadedTransfer(TunRelay.B4, 128);
    }

    @Test
    void ipv6TransferIsSegmentedOnReadAndMergedOnWrite() throws Exception {
        assertOffloadedTransfer(TunRelay.B6, 128);
    }

    /** A super-packet's 40-odd segments then span several reads: the rest waits in the device. */
    @Test
    void smallBatchesTakeASuperPacketOverSeveralReads() throws Exception {
        assertOffloadedTransfer(TunRelay.B4, 7);
    }

    private static void assertOffloadedTransfer(InetAddress server, int batch) throws Exception {
        TestNamespace.assumeRootWithTun();
        try (TunRelay relay = new TunRelay(TunFile.TCP_OFFLOADS, batch)) {
            OffloadTunDevice sender = assertInstanceOf(OffloadTunDevice.class, relay.deviceA);
            OffloadTunDevice receiver = assertInstanceOf(OffloadTunDevice.class, relay.deviceB);
            long nanos = relay.transfer(server, DATA, TOTAL);
            System.out.printf("%d MiB to %s through the offloading relay in %.0f ms%n  sender side:   %s%n"
                    + "  receiver side: %s%n", TOTAL >> 20, server.getHostAddress(), nanos / 1e6, sender, receiver);
            assertNull(relay.failure());
            assertTrue(sender.superPacketsRead() > 0, "the sender's kernel handed over super-packets: " + sender);
            assertTrue(sender.segmentsRead() > sender.superPacketsRead(), sender.toString());
            assertTrue(receiver.mergedWrites() > 0, "segments were merged into the receiver: " + receiver);
            assertEquals(0, sender.malformedDropped() + receiver.malformedDropped());
            assertEquals(0, sender.mergedRefused() + receiver.mergedRefused());
        }
    }

    @Test
    void concurrentIpv4AndIpv6StreamsBothArriveIntact() throws Exception {
        TestNamespace.assumeRootWithTun();
        try (TunRelay relay = new TunRelay(TunFile.TCP_OFFLOADS)) {
            CompletableFuture<Long> ipv6 = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return relay.transfer(TunRelay.B6, DATA, TOTAL);
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    });
            relay.transfer(TunRelay.B4, DATA, TOTAL);
            ipv6.get(120, TimeUnit.SECONDS);
            assertNull(relay.failure());
            OffloadTunDevice receiver = assertInstanceOf(OffloadTunDevice.class, relay.deviceB);
            assertTrue(receiver.mergedWrites() > 0, receiver.toString());
            assertEquals(0, receiver.mergedRefused(), receiver.toString());
        }
    }

    @Test
    void batchesOfOnePacketStillCarryPlainPacketsWithOffloadOn() throws Exception {
        TestNamespace.assumeRootWithTun();
        try (TunRelay relay = new TunRelay(TunFile.TCP_OFFLOADS, 1)) {
            relay.transfer(TunRelay.B4, DATA, 8L << 20);
            assertNull(relay.failure());
            // Super-packets were read, and handed out one segment per read; nothing merged.
            OffloadTunDevice sender = assertInstanceOf(OffloadTunDevice.class, relay.deviceA);
            assertTrue(sender.segmentsRead() > sender.superPacketsRead() && sender.superPacketsRead() > 0,
                    sender.toString());
            assertEquals(0, assertInstanceOf(OffloadTunDevice.class, relay.deviceB).mergedWrites());
        }
    }

    @Test
    void offloadRefusedByTheKernelFallsBackToAPlainTunThatWorks() throws Exception {
        TestNamespace.assumeRootWithTun();
        // A flag no kernel knows: TUNSETOFFLOAD answers EINVAL, as an old kernel would for TSO.
        try (TunRelay relay = new TunRelay(TunFile.TCP_OFFLOADS | 0x4000_0000)) {
            assertInstanceOf(PlainTunDevice.class, relay.deviceA);
            assertEquals("TUN tmra0 (MTU 1420, offload off: the kernel refused TUNSETOFFLOAD: invalid argument"
                    + " (errno 22))", relay.deviceA.toString());
            relay.transfer(TunRelay.B4, DATA, 4L << 20);
            assertNull(relay.failure());
        }
    }

    @Test
    void plainTunWhenOffloadIsSwitchedOff() throws Exception {
        TestNamespace.assumeRootWithTun();
        try (TunRelay relay = new TunRelay(0)) {
            assertEquals("TUN tmra0 (MTU 1420, offload off (offload=false in io.tunnelmesh.tun))", relay.deviceA.toString());
            relay.transfer(TunRelay.B6, DATA, 4L << 20);
            assertNull(relay.failure());
            assertInstanceOf(PlainTunDevice.class, relay.deviceB);
        }
    }

    private static byte[] random(long length) {
        byte[] bytes = new byte[(int) length];
        new Random(7).nextBytes(bytes);
        return bytes;
    }
}
