package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.bench.flood.InitiationFlood;
import io.tunnelmesh.e2e.harness.JavaTool;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.OperatorOutput;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.StartedProcess;
import io.tunnelmesh.e2e.harness.Testbed;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A host that knows a node's public key floods it with handshake initiations (valid mac1, 30,000 a second, the
 * bench's flooder) while a ping runs through the tunnel from that same host: the ping keeps going, the node warns
 * once, and its UDP transport sheds the flooder in the kernel, so the node itself refuses only a small part of the
 * flood (tm:status HANDSHAKE_RATE_LIMITED; without shedding it would refuse all but 50 a second).
 */
@Timeout(90)
class InitiationFloodTest {
    private static final int RATE = 30_000;
    private static final int SECONDS = 8;
    private static final Pattern SENT = Pattern.compile("^sent (\\d+) initiations");

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void aFloodingHostIsShedAndTheTunnelKeepsGoing() throws Exception {
        try (Testbed bed = Testbed.create("flood")) {
            NodePair pair = NodePair.prepare(bed);
            NodeHost a = pair.a().up(pair.psk());
            NodeHost b = pair.b().up(pair.psk());
            a.addPeer(b);
            b.addPeer(a);
            assertTrue(Ping.awaitReply(a.ns(), b.meshAddress(), Duration.ofSeconds(10)),
                    () -> "no tunnel\n" + pair.diagnostics());

            StartedProcess flood = a.ns().start("flood", JavaTool.command(InitiationFlood.class,
                    List.of(Blake2sDigest.class), b.underlayAddress() + ":" + NodeHost.PORT, b.publicKey(),
                    Integer.toString(RATE), Integer.toString(SECONDS)));
            int pings = 80;
            int received = Ping.count(a.ns(), b.meshAddress(), pings, Duration.ofMillis(50));
            Matcher sent = flood.awaitLine(SENT, Duration.ofSeconds(SECONDS + 20))
                    .orElseThrow(() -> new AssertionError("the flooder did not report: " + flood.logTail(10)));
            long flooded = Long.parseLong(sent.group(1));
            String status = b.peersAndStatus();
            long refused = OperatorOutput.drops(status, "HANDSHAKE_RATE_LIMITED");
            System.out.println("[e2e] flood: " + sent.group() + "; ping during the flood " + received + "/" + pings
                    + "; refused by B's node itself " + refused + " (the rest shed by its transport)");

            assertTrue(received >= pings * 9 / 10, () -> "the tunnel lost too much under the flood: " + received
                    + "/" + pings + "\n" + status);
            assertTrue(flooded >= RATE * SECONDS / 2, "the flooder sent " + flooded);
            assertTrue(refused > 0, () -> "the node never refused a flood message: was it under load?\n" + status);
            // each time a shed lapses the node reads what its socket held (here about 4 % of the flood in all)
            assertTrue(refused < flooded / 4, () -> "the node refused " + refused + " of " + flooded
                    + " itself: its transport did not shed the flooder\n" + status);
            assertEquals(1, count(b.node().daemon().log(), "demanding cookies"), "one warning for one flood");
            assertTrue(b.node().daemon().isAlive(), "the node survived");
        }
    }

    private static int count(String text, String phrase) {
        int n = 0;
        for (int at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
            n++;
        }
        return n;
    }
}
