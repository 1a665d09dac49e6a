package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.NetworkNamespace;
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
 * The harness proves itself against the reference: wireguard-go to wireguard-go in two namespaces. If this fails, the
 * machine or the harness is at fault, not TunnelMesh/J. It is also the tunnel the data-plane benchmark compares with.
 */
@Timeout(60)
class WireGuardGoPairTest {

    @BeforeEach
    void requireHostTools() {
        Skip.unlessRootWithTools("ip", "ping", "wireguard-go", "wg");
    }

    @Test
    void twoWireGuardGoPeersPingAndMoveBytesIntact() throws Exception {
        try (Testbed bed = Testbed.create("wg-pair")) {
            NetworkNamespace[] hosts = bed.wiredPair();
            NetworkNamespace a = hosts[0];
            NetworkNamespace b = hosts[1];
            Path psk = bed.newPresharedKey("mesh");
            WireGuardGoPeer wgA = WireGuardGoPeer.start(bed, a, "10.77.0.1/24", 51820);
            WireGuardGoPeer wgB = WireGuardGoPeer.start(bed, b, "10.77.0.2/24", 51820);
            wgA.addPeer(wgB.publicKey(), psk, "192.168.77.2:51820", "10.77.0.2/32");
            wgB.addPeer(wgA.publicKey(), psk, "192.168.77.1:51820", "10.77.0.1/32");

            assertTrue(Ping.awaitReply(a, "10.77.0.2", Duration.ofSeconds(10)), () -> "no ping reply\n" + wgA.show());
            assertEquals(5, Ping.count(b, "10.77.0.1", 5, Duration.ofMillis(100)), "ping back from B");
            assertTrue(wgA.latestHandshake(wgB.publicKey()) > 0, "wg show latest-handshakes records the handshake");

            TcpTransfer.assertIntact(b, "10.77.0.2", 5201, a, 5 << 20);
        }
    }
}
