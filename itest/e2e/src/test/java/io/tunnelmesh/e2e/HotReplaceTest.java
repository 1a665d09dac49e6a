package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.ContinuousPing;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import io.tunnelmesh.e2e.harness.TunnelMeshInstall;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With a ping running through the tunnel, the operator stops/starts and updates the UDP transport bundle and the
 * cipher bundle from the Gogo shell: the node rebinds without a runtime restart and replies resume within 2 s.
 */
@Timeout(120)
class HotReplaceTest {
    private static final Duration RESUME_GOAL = Duration.ofSeconds(2);

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void transportAndCipherBundlesAreReplacedWhileTrafficFlows() throws Exception {
        try (Testbed bed = Testbed.create("hot-replace")) {
            NodePair pair = NodePair.startPeered(bed);
            NodeHost a = pair.a();
            assertTrue(Ping.awaitReply(a.ns(), pair.b().meshAddress(), Duration.ofSeconds(10)),
                    () -> "no tunnel before replacing anything\n" + pair.diagnostics());
            ContinuousPing ping = Ping.continuous(a.ns(), pair.b().meshAddress(), Duration.ofMillis(100));
            long daemonPid = a.node().daemon().pid();
            try {
                for (String bundle : new String[] {"tm-transport-udp", "tm-cipher"}) {
                    TunnelMeshInstall node = a.node();
                    int id = node.bundleId(bundle);
                    replaceAndMeasure(pair, ping, bundle + " stop/start", () -> {
                        node.shell("stop " + id);
                        assertEquals("Resolved", node.bundleState(id), bundle + " is stopped");
                        Thread.sleep(500);
                        node.shell("start " + id);
                    });
                    replaceAndMeasure(pair, ping, bundle + " update", () -> node.shell("update " + id));
                    assertEquals("Active", node.bundleState(id), bundle + " is active again");
                }
            } finally {
                ping.stop();
            }
            assertEquals(daemonPid, a.node().daemon().pid(), "same runtime process throughout");
            assertTrue(a.node().daemon().isAlive(), "runtime still running");
        }
    }

    interface ShellAction {
        void run() throws Exception;
    }

    private static void replaceAndMeasure(NodePair pair, ContinuousPing ping, String what, ShellAction action)
            throws Exception {
        action.run();
        Instant done = Instant.now();
        Instant reply = ping.awaitReplyAfter(done, RESUME_GOAL.plusSeconds(3));
        assertNotNull(reply, () -> "no ping reply within 5 s after " + what + "\n" + ping.logTail(15) + "\n"
                + pair.diagnostics());
        Duration gap = Duration.between(done, reply);
        System.out.printf("[e2e] hot replace %s: first reply %d ms after the command returned%n", what,
                gap.toMillis());
        assertTrue(gap.compareTo(RESUME_GOAL) <= 0, () -> what + ": traffic resumed only after " + gap.toMillis()
                + " ms (goal ≤ 2000 ms)");
    }
}
