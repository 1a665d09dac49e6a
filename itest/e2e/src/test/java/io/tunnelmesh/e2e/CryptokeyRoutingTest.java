package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.OperatorOutput;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.ProcessResult;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cryptokey routing as WireGuard defines it, seen from outside: a packet whose source is not among its sender's
 * allowed IPs is dropped by the receiver even though it decrypts, and a packet for an address no peer owns is not
 * sent at all; both are counted where the operator looks.
 */
@Timeout(90)
class CryptokeyRoutingTest {
    private static final String SPOOFED_SOURCE = "10.77.0.9";
    private static final String NOBODY = "10.77.0.50";

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void sourceOutsideAllowedIpsAndUnroutedDestinationAreDropped() throws Exception {
        try (Testbed bed = Testbed.create("cryptokey-routing")) {
            NodePair pair = NodePair.startPeered(bed);
            NodeHost a = pair.a();
            NodeHost b = pair.b();
            assertTrue(Ping.awaitReply(a.ns(), b.meshAddress(), Duration.ofSeconds(10)),
                    () -> "no tunnel to start from\n" + pair.diagnostics());

            // A second address on A's TUN that B does not allow for A: A encrypts, B must drop after decrypting.
            a.ns().ip("addr", "add", SPOOFED_SOURCE + "/32", "dev", a.iface());
            long spoofedBefore = OperatorOutput.drops(b.node().shell("tm:status"), "NOT_ALLOWED_SOURCE");
            ProcessResult spoofed = a.ns().exec(Duration.ofSeconds(10), "ping", "-n", "-q", "-c", "3", "-i", "0.2",
                    "-W", "1", "-I", SPOOFED_SOURCE, b.meshAddress());
            assertTrue(spoofed.stdout().contains(" 0 received"), () -> "spoofed source got through:\n"
                    + spoofed.describe());
            long spoofedAfter = OperatorOutput.drops(b.node().shell("tm:status"), "NOT_ALLOWED_SOURCE");
            assertTrue(spoofedAfter >= spoofedBefore + 3, () -> "B counted " + (spoofedAfter - spoofedBefore)
                    + " NOT_ALLOWED_SOURCE drops for 3 spoofed pings\n" + b.peersAndStatus());

            long unroutedBefore = OperatorOutput.drops(a.node().shell("tm:status"), "NO_ROUTE");
            assertEquals(0, Ping.count(a.ns(), NOBODY, 3, Duration.ofMillis(200)), "nobody owns " + NOBODY);
            long unroutedAfter = OperatorOutput.drops(a.node().shell("tm:status"), "NO_ROUTE");
            assertTrue(unroutedAfter >= unroutedBefore + 3, () -> "A counted " + (unroutedAfter - unroutedBefore)
                    + " NO_ROUTE drops for 3 pings to " + NOBODY + "\n" + a.peersAndStatus());

            assertEquals(3, Ping.count(a.ns(), b.meshAddress(), 3, Duration.ofMillis(100)),
                    "the real address still passes");
            System.out.printf("[e2e] cryptokey routing: NOT_ALLOWED_SOURCE %d → %d at B, NO_ROUTE %d → %d at A%n",
                    spoofedBefore, spoofedAfter, unroutedBefore, unroutedAfter);
        }
    }
}
