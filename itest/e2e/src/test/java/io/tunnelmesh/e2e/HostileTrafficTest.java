package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.JavaTool;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.OperatorOutput;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.StartedProcess;
import io.tunnelmesh.e2e.harness.Testbed;
import io.tunnelmesh.e2e.tools.UdpMiddlebox;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random bytes, truncated and replayed datagrams sprayed at a node's UDP port while a ping runs through it: the
 * ping keeps going, the node keeps running, and the drops show up in what the operator reads.
 */
@Timeout(90)
class HostileTrafficTest {
    private static final int MIDDLEBOX_PORT = 40000;

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void sprayAtTheUdpPortDoesNotStopTraffic() throws Exception {
        try (Testbed bed = Testbed.create("hostile")) {
            NodePair pair = NodePair.prepare(bed);
            NodeHost a = pair.a().up(pair.psk());
            NodeHost b = pair.b().up(pair.psk());
            // A reaches B through the middlebox, which records A's real datagrams for replaying.
            StartedProcess box = a.ns().start("middlebox", JavaTool.command(UdpMiddlebox.class,
                    Integer.toString(MIDDLEBOX_PORT), b.underlayAddress(), Integer.toString(NodeHost.PORT)));
            assertTrue(box.awaitLine(Pattern.compile("^forwarding"), Duration.ofSeconds(10)).isPresent(),
                    () -> "middlebox did not start: " + box.logTail(10));
            a.addPeer(b.publicKey(), a.underlayAddress() + ":" + MIDDLEBOX_PORT, b.allowedIp());
            b.addPeer(a);
            assertTrue(Ping.awaitReply(a.ns(), b.meshAddress(), Duration.ofSeconds(10)),
                    () -> "no tunnel through the middlebox\n" + pair.diagnostics());
            Ping.count(a.ns(), b.meshAddress(), 10, Duration.ofMillis(20)); // more real datagrams to replay
            long dropsBefore = OperatorOutput.totalDrops(b.peersAndStatus());

            box.sendLine("spray 4 40000");
            int sent = 60;
            int received = Ping.count(a.ns(), b.meshAddress(), sent, Duration.ofMillis(50));
            var sprayed = box.awaitLine(Pattern.compile("^sprayed .*"), Duration.ofSeconds(10));
            System.out.println("[e2e] hostile: " + sprayed.map(m -> m.group()).orElse("(spray did not report)")
                    + "; ping during spray: " + received + "/" + sent);
            assertTrue(sprayed.isPresent(), "the spray ran");
            assertTrue(received >= sent * 9 / 10, () -> "ping lost too much under spray: " + received + "/" + sent
                    + "\n" + b.peersAndStatus());
            assertTrue(b.node().daemon().isAlive(), "the node survived");

            String report = b.peersAndStatus();
            long dropsAfter = OperatorOutput.totalDrops(report);
            System.out.println("[e2e] hostile: drops counted by B before " + dropsBefore + ", after " + dropsAfter
                    + "\n" + report);
            assertTrue(dropsAfter > dropsBefore, () -> "drops not counted in tm:peers/tm:status\n" + report);
        }
    }
}
