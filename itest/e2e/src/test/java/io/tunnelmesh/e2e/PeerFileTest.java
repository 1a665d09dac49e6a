package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.Concurrently;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Peers as files in config/ on running nodes: writing {@code io.tunnelmesh.peer-NAME.cfg} connects them, deleting
 * it disconnects them, without a restart.
 */
@Timeout(90)
class PeerFileTest {
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void peerFilesAreAppliedAndRemovedLive() throws Exception {
        try (Testbed bed = Testbed.create("peer-files")) {
            NodePair pair = NodePair.prepare(bed);
            NodeHost a = pair.a();
            NodeHost b = pair.b();
            Concurrently.all(() -> a.up(pair.psk()), () -> b.up(pair.psk()));

            a.node().writePeerFile("b", b.publicKey(), b.endpoint(), b.allowedIp());
            b.node().writePeerFile("a", a.publicKey(), a.endpoint(), a.allowedIp());
            assertTrue(Ping.awaitReply(a.ns(), b.meshAddress(), RELOAD_BOUND),
                    () -> "peer files written on running nodes did not connect them\n" + pair.diagnostics());

            Files.delete(peerFile(a, "b"));
            long deadline = System.nanoTime() + RELOAD_BOUND.toNanos();
            while (a.node().shell("tm:peers").contains(b.publicKey()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String peers = a.node().shell("tm:peers");
            assertTrue(!peers.contains(b.publicKey()), () -> "peer still listed after its file was deleted\n" + peers);
            assertEquals(0, Ping.count(a.ns(), b.meshAddress(), 3, Duration.ofMillis(200)),
                    "no traffic to a peer whose file was deleted");
        }
    }

    static Path peerFile(NodeHost host, String name) {
        return host.node().home().resolve("config/io.tunnelmesh.peer-" + name + ".cfg");
    }
}
