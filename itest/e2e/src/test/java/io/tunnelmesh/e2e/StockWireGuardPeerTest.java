package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.NetworkNamespace;
import io.tunnelmesh.e2e.harness.NodeAndWireGuardGo;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.TcpTransfer;
import io.tunnelmesh.e2e.harness.Testbed;
import io.tunnelmesh.e2e.harness.WireGuardGoPeer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stock WireGuard peer (Debian's wireguard-go, configured with wg) as a mesh member: configured with the node's
 * {@code tunnelmesh pubkey} and the mesh PSK. Each side initiates a handshake once; new handshakes are forced by
 * re-adding the peer on one side (product timers stay as they are) and observed in {@code wg show latest-handshakes}.
 */
@Timeout(120)
class StockWireGuardPeerTest {

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
        Skip.unlessRootWithTools("wireguard-go");
    }

    @Test
    void wireGuardGoPeerTalksBothWaysAndRekeys() throws Exception {
        try (Testbed bed = Testbed.create("stock-wireguard")) {
            NodeAndWireGuardGo pair = NodeAndWireGuardGo.start(bed);
            NodeHost node = pair.node();
            WireGuardGoPeer wg = pair.wg();
            NetworkNamespace nsA = node.ns();
            NetworkNamespace nsB = pair.wgNamespace();
            String wgAddress = pair.wgMeshAddress();

            // 1. wireguard-go initiates.
            assertTrue(Ping.awaitReply(nsB, node.meshAddress(), Duration.ofSeconds(10)),
                    () -> "wireguard-go's first ping to the node got no reply\n" + pair.diagnostics());
            long first = wg.latestHandshake(node.publicKey());
            assertTrue(first > 0, () -> "wg show latest-handshakes records no handshake\n" + wg.show());
            assertEquals(5, Ping.count(nsA, wgAddress, 5, Duration.ofMillis(100)), "node → wireguard-go");
            TcpTransfer.assertIntact(nsB, wgAddress, 5201, nsA, 5 << 20);
            TcpTransfer.assertIntact(nsA, node.meshAddress(), 5202, nsB, 5 << 20);

            // 2. The node initiates: it forgets the peer (and its session) and learns it again; its next packet
            //    must start a new handshake, visible as a newer latest-handshake on the wireguard-go side.
            Thread.sleep(1100); // latest-handshakes has one-second resolution
            node.node().removePeer(wg.publicKey());
            pair.nodeLearnsWg();
            assertTrue(Ping.awaitReply(nsA, wgAddress, Duration.ofSeconds(10)),
                    () -> "no reply after the node re-handshook\n" + pair.diagnostics());
            long second = wg.latestHandshake(node.publicKey());
            System.out.printf("[e2e] wireguard-go latest handshake: %d, after node-initiated rekey: %d%n", first,
                    second);
            assertTrue(second > first, () -> "node-initiated handshake not seen by wireguard-go\n" + wg.show());

            // 3. wireguard-go initiates again after re-adding the node: a rekey the node must accept as responder
            //    while it still holds the previous session.
            Thread.sleep(1100);
            wg.removePeer(node.publicKey());
            pair.wgLearnsNode();
            assertTrue(Ping.awaitReply(nsB, node.meshAddress(), Duration.ofSeconds(10)),
                    () -> "no reply after wireguard-go re-handshook\n" + pair.diagnostics());
            long third = wg.latestHandshake(node.publicKey());
            System.out.printf("[e2e] after wireguard-go-initiated rekey: %d%n", third);
            assertTrue(third > second, () -> "wireguard-go-initiated handshake did not complete\n" + wg.show());
            assertEquals(5, Ping.count(nsA, wgAddress, 5, Duration.ofMillis(100)), "node → wireguard-go after rekey");
        }
    }
}
