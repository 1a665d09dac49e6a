package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.Distribution;
import io.tunnelmesh.e2e.harness.NetworkNamespace;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.TcpTransfer;
import io.tunnelmesh.e2e.harness.Testbed;
import io.tunnelmesh.e2e.harness.WireGuardGoPeer;
import java.nio.file.Path;
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
    private static final String WG_MESH_ADDRESS = "10.77.0.2";

    @BeforeEach
    void requireHostTools() {
        Skip.unlessRootWithTools("ip", "ping", "wireguard-go", "wg", "ssh-keygen", "tar");
    }

    @Test
    void wireGuardGoPeerTalksBothWaysAndRekeys() throws Exception {
        try (Testbed bed = Testbed.create("stock-wireguard")) {
            Path tarball = Distribution.requireNodeDistribution(bed.runner());
            NetworkNamespace[] hosts = bed.wiredPair();
            NetworkNamespace nsA = hosts[0];
            NetworkNamespace nsB = hosts[1];
            Path psk = bed.newPresharedKey("mesh");
            NodeHost node = NodeHost.prepare(bed, tarball, "a", nsA, "192.168.77.1", "10.77.0.1").up(psk);
            WireGuardGoPeer wg = WireGuardGoPeer.start(bed, nsB, WG_MESH_ADDRESS + "/24", NodeHost.PORT);
            wg.addPeer(node.publicKey(), psk, node.endpoint(), node.allowedIp());
            node.addPeer(wg.publicKey(), "192.168.77.2:" + NodeHost.PORT, WG_MESH_ADDRESS + "/32");

            // 1. wireguard-go initiates.
            assertTrue(Ping.awaitReply(nsB, node.meshAddress(), Duration.ofSeconds(10)),
                    () -> "wireguard-go's first ping to the node got no reply\n" + wg.show() + node.peersAndStatus());
            long first = wg.latestHandshake(node.publicKey());
            assertTrue(first > 0, () -> "wg show latest-handshakes records no handshake\n" + wg.show());
            assertEquals(5, Ping.count(nsA, WG_MESH_ADDRESS, 5, Duration.ofMillis(100)), "node → wireguard-go");
            TcpTransfer.assertIntact(nsB, WG_MESH_ADDRESS, 5201, nsA, 5 << 20);
            TcpTransfer.assertIntact(nsA, node.meshAddress(), 5202, nsB, 5 << 20);

            // 2. The node initiates: it forgets the peer (and its session) and learns it again; its next packet
            //    must start a new handshake, visible as a newer latest-handshake on the wireguard-go side.
            Thread.sleep(1100); // latest-handshakes has one-second resolution
            node.node().removePeer(wg.publicKey());
            node.addPeer(wg.publicKey(), "192.168.77.2:" + NodeHost.PORT, WG_MESH_ADDRESS + "/32");
            assertTrue(Ping.awaitReply(nsA, WG_MESH_ADDRESS, Duration.ofSeconds(10)),
                    () -> "no reply after the node re-handshook\n" + wg.show() + node.peersAndStatus());
            long second = wg.latestHandshake(node.publicKey());
            System.out.printf("[e2e] wireguard-go latest handshake: %d, after node-initiated rekey: %d%n", first,
                    second);
            assertTrue(second > first, () -> "node-initiated handshake not seen by wireguard-go\n" + wg.show());

            // 3. wireguard-go initiates again after re-adding the node: a rekey the node must accept as responder
            //    while it still holds the previous session.
            Thread.sleep(1100);
            wg.removePeer(node.publicKey());
            wg.addPeer(node.publicKey(), psk, node.endpoint(), node.allowedIp());
            assertTrue(Ping.awaitReply(nsB, node.meshAddress(), Duration.ofSeconds(10)),
                    () -> "no reply after wireguard-go re-handshook\n" + wg.show() + node.peersAndStatus());
            long third = wg.latestHandshake(node.publicKey());
            System.out.printf("[e2e] after wireguard-go-initiated rekey: %d%n", third);
            assertTrue(third > second, () -> "wireguard-go-initiated handshake did not complete\n" + wg.show());
            assertEquals(5, Ping.count(nsA, WG_MESH_ADDRESS, 5, Duration.ofMillis(100)), "node → wireguard-go after rekey");
        }
    }
}
