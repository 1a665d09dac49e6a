package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.Concurrently;
import io.tunnelmesh.e2e.harness.Distribution;
import io.tunnelmesh.e2e.harness.NetworkNamespace;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.OperatorOutput;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose key the hub knows but which holds another mesh's pre-shared key never gets a session, in either
 * direction, while the hub keeps talking to its real mesh peer. Topology: B — A — C, one veth each side of A.
 */
@Timeout(90)
class ForeignPskNodeTest {

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void nodeWithAnotherMeshPskNeverGetsASession() throws Exception {
        try (Testbed bed = Testbed.create("foreign-psk")) {
            Path tarball = Distribution.requireNodeDistribution(bed.runner());
            NetworkNamespace nsA = bed.host();
            NetworkNamespace nsB = bed.host();
            NetworkNamespace nsC = bed.host();
            bed.wire(nsA, "192.168.77.1/24", nsB, "192.168.77.2/24");
            bed.wire(nsA, "192.168.78.1/24", nsC, "192.168.78.3/24");
            Path mesh = bed.newPresharedKey("mesh");
            Path foreign = bed.newPresharedKey("foreign");
            List<NodeHost> nodes = Concurrently.all(
                    () -> NodeHost.prepare(bed, tarball, "a", nsA, "192.168.77.1", "10.77.0.1").up(mesh),
                    () -> NodeHost.prepare(bed, tarball, "b", nsB, "192.168.77.2", "10.77.0.2").up(mesh),
                    () -> NodeHost.prepare(bed, tarball, "c", nsC, "192.168.78.3", "10.77.0.3").up(foreign));
            NodeHost a = nodes.get(0);
            NodeHost b = nodes.get(1);
            NodeHost c = nodes.get(2);
            a.addPeer(b);
            a.addPeer(c.publicKey(), "192.168.78.3:" + NodeHost.PORT, "10.77.0.3/32");
            b.addPeer(a);
            c.addPeer(a.publicKey(), "192.168.78.1:" + NodeHost.PORT, "10.77.0.1/32");

            assertTrue(Ping.awaitReply(a.ns(), b.meshAddress(), Duration.ofSeconds(10)),
                    () -> "mesh peers A and B cannot talk\n" + a.peersAndStatus() + b.peersAndStatus());
            // C starts a handshake (fails at A's reply: the PSK enters only there), then A tries towards C.
            assertEquals(0, Ping.count(c.ns(), a.meshAddress(), 3, Duration.ofMillis(300)), "C → A must not pass");
            assertEquals(0, Ping.count(a.ns(), c.meshAddress(), 3, Duration.ofMillis(300)), "A → C must not pass");
            assertEquals(5, Ping.count(a.ns(), b.meshAddress(), 5, Duration.ofMillis(100)),
                    "A ↔ B keeps working while C knocks");

            String cPeers = c.node().shell("tm:peers");
            String aPeers = a.node().shell("tm:peers");
            System.out.println("[e2e] foreign-psk node C tm:peers:\n" + cPeers + "\n[e2e] hub A tm:peers:\n" + aPeers);
            assertFalse(OperatorOutput.hasHandshake(cPeers, a.publicKey()), "C's tm:peers must show no handshake");
            assertFalse(OperatorOutput.hasHandshake(aPeers, c.publicKey()), "A's tm:peers must show no handshake with C");
            assertTrue(OperatorOutput.hasHandshake(aPeers, b.publicKey()), "A's tm:peers shows the handshake with B");
        }
    }
}
