package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * From starting {@code bin/tunnelmesh up} to the first ping reply through the tunnel, with the peer configured in a
 * config/ peer file beforehand. Goal 1.5 s; printed, and asserted only against a generous bound because a shared CI
 * machine's timing is noisy.
 */
@Timeout(90)
class StartupTimeTest {
    private static final Duration GENEROUS_BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void firstPacketThroughTheTunnelSoonAfterUp() throws Exception {
        try (Testbed bed = Testbed.create("startup-time")) {
            NodePair pair = NodePair.prepare(bed);
            NodeHost a = pair.a();
            NodeHost b = pair.b();
            a.node().writePeerFile("b", b.publicKey(), b.endpoint(), b.allowedIp());
            b.node().writePeerFile("a", a.publicKey(), a.endpoint(), a.allowedIp());
            b.up(pair.psk());

            long start = System.nanoTime();
            a.startUpWithoutWaiting(pair.psk());
            long deadline = start + GENEROUS_BOUND.plusSeconds(10).toNanos();
            boolean replied = false;
            // Until the TUN exists ping fails at once ("Network is unreachable"); from then on it sends every 20 ms
            // until the first reply, which has to wait for the handshake.
            while (!replied && System.nanoTime() < deadline && a.node().daemon().isAlive()) {
                replied = Ping.firstReply(a.ns(), b.meshAddress(), Duration.ofMillis(20), Duration.ofSeconds(5));
                if (!replied) {
                    Thread.sleep(20);
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(replied, () -> "no reply within " + GENEROUS_BOUND.plusSeconds(10) + "\n" + pair.diagnostics());
            String runtimeUp = a.node().daemon().log().lines().filter(l -> l.contains("runtime up in")).findFirst()
                    .orElse("(no 'runtime up' line)");
            System.out.printf("[e2e] start of 'tunnelmesh up' to first ping reply through the tunnel: %d ms "
                    + "(goal ≤ 1500 ms); the node said: %s%n", elapsed.toMillis(), runtimeUp);
            assertTrue(elapsed.compareTo(GENEROUS_BOUND) <= 0, () -> "first reply only after " + elapsed.toMillis()
                    + " ms\n" + pair.diagnostics());
        }
    }
}
