package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.ContinuousPing;
import io.tunnelmesh.e2e.harness.NodeAndWireGuardGo;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import io.tunnelmesh.e2e.harness.WireGuardGoPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Long profile only ({@code -Dtm.e2e.long=true}, or {@code mvn -P e2e-long}): with the product's own timers, the
 * node that initiated a session starts a new handshake after REKEY_AFTER_TIME (120 s) of sending, and a stock
 * wireguard-go peer sees it, while a ping keeps flowing. Nothing is shortened, so this takes about 2.5 minutes.
 */
@Timeout(240)
class TimeBasedRekeyTest {
    private static final long REKEY_AFTER_TIME_SECONDS = 120;

    @BeforeEach
    void requireLongProfileAndTools() {
        Skip.unless(Boolean.getBoolean("tm.e2e.long"), "long profile only (about 2.5 min with the product's 120 s "
                + "rekey timer): run with -Dtm.e2e.long=true or mvn -P e2e-long");
        Skip.unlessNodeTestHost();
        Skip.unlessRootWithTools("wireguard-go");
    }

    @Test
    void initiatorRekeysAfterTwoMinutesOfTraffic() throws Exception {
        try (Testbed bed = Testbed.create("rekey-120s")) {
            NodeAndWireGuardGo pair = NodeAndWireGuardGo.start(bed);
            NodeHost node = pair.node();
            WireGuardGoPeer wg = pair.wg();

            assertTrue(Ping.awaitReply(node.ns(), pair.wgMeshAddress(), Duration.ofSeconds(10)),
                    () -> "the node's first ping to wireguard-go got no reply\n" + pair.diagnostics());
            long first = wg.latestHandshake(node.publicKey());
            ContinuousPing ping = Ping.continuous(node.ns(), pair.wgMeshAddress(), Duration.ofSeconds(1));
            List<Long> handshakes = new ArrayList<>(List.of(first));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(REKEY_AFTER_TIME_SECONDS + 45).toNanos();
                while (handshakes.getLast() - first < REKEY_AFTER_TIME_SECONDS - 1 && System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                    long latest = wg.latestHandshake(node.publicKey());
                    if (latest != handshakes.getLast()) {
                        handshakes.add(latest);
                    }
                }
            } finally {
                ping.stop();
            }
            List<Long> offsets = handshakes.stream().map(t -> t - first).toList();
            System.out.printf("[e2e] time-based rekey: handshakes seen by wireguard-go at +%s s; %d pings unanswered%n",
                    offsets, ping.unanswered());
            assertTrue(offsets.getLast() >= REKEY_AFTER_TIME_SECONDS - 1, () -> "no handshake " + REKEY_AFTER_TIME_SECONDS
                    + " s after the first (seen at +" + offsets + " s)\n" + pair.diagnostics());
            assertTrue(offsets.size() == 2, () -> "handshakes between the first and the time-based rekey, at +"
                    + offsets + " s: nothing should start one before " + REKEY_AFTER_TIME_SECONDS + " s");
            assertTrue(ping.unanswered() <= 2, () -> "traffic stalled across the rekey\n" + ping.logTail(20));
        }
    }
}
