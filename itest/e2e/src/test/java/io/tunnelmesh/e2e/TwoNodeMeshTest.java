package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.OperatorOutput;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.TcpTransfer;
import io.tunnelmesh.e2e.harness.Testbed;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two TunnelMesh/J nodes, two namespaces, one veth: each with its own ssh-keygen identity and the same mesh PSK.
 * Ping and a 5 MiB TCP transfer (SHA-256 compared) through the TUN addresses, with the handshake started by either
 * side from fresh state; the TUN interfaces run with segmentation offload, so the transfer also proves the
 * segmenting and merging against the real kernel.
 */
@Timeout(90)
class TwoNodeMeshTest {
    private static final int TRANSFER_BYTES = 5 << 20;

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void firstNodeInitiatesThenPingAndTcpWorkBothWays() throws Exception {
        try (Testbed bed = Testbed.create("two-nodes-a-first")) {
            NodePair pair = NodePair.startPeered(bed);
            NodeHost a = pair.a();
            NodeHost b = pair.b();

            assertTrue(Ping.awaitReply(a.ns(), b.meshAddress(), Duration.ofSeconds(10)),
                    () -> "A's first ping to B got no reply\n" + pair.diagnostics());
            assertEquals(5, Ping.count(b.ns(), a.meshAddress(), 5, Duration.ofMillis(100)), "pings from B to A");
            TcpTransfer.assertIntact(b.ns(), b.meshAddress(), 5201, a.ns(), TRANSFER_BYTES);
            TcpTransfer.assertIntact(a.ns(), a.meshAddress(), 5202, b.ns(), TRANSFER_BYTES);
            assertTrue(OperatorOutput.hasHandshake(a.node().shell("tm:peers"), b.publicKey()),
                    () -> "A's tm:peers shows no handshake with B\n" + a.peersAndStatus());
            // the transfers above went through TUN segmentation offload (super-packets cut and merged) on both sides
            for (NodeHost n : new NodeHost[] {a, b}) {
                assertTrue(n.node().daemon().log().contains("TCP segmentation and checksum offload on"),
                        () -> n.node().name() + " did not report its TUN offload on:\n" + n.node().daemonTail());
            }
        }
    }

    @Test
    void secondNodeInitiatesFromFreshState() throws Exception {
        try (Testbed bed = Testbed.create("two-nodes-b-first")) {
            NodePair pair = NodePair.startPeered(bed);
            NodeHost a = pair.a();
            NodeHost b = pair.b();

            assertTrue(Ping.awaitReply(b.ns(), a.meshAddress(), Duration.ofSeconds(10)),
                    () -> "B's first ping to A got no reply\n" + pair.diagnostics());
            assertEquals(5, Ping.count(a.ns(), b.meshAddress(), 5, Duration.ofMillis(100)), "pings from A to B");
            TcpTransfer.assertIntact(a.ns(), a.meshAddress(), 5202, b.ns(), TRANSFER_BYTES);
            assertTrue(OperatorOutput.hasHandshake(b.node().shell("tm:peers"), a.publicKey()),
                    () -> "B's tm:peers shows no handshake with A\n" + b.peersAndStatus());
        }
    }
}
