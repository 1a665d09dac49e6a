package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.Concurrently;
import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.OperatorOutput;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, a third party's transport: two running nodes whose peers have only {@code tcp:} endpoints wait for a
 * transport of that name; the example TCP transport's jar (tm-transport-tcp-example, which the distribution does not
 * carry) is copied into each node's {@code deploy/} as an operator would, and without a restart a ping goes through
 * the tunnel over TCP: {@code tm:peers} shows the {@code tcp:} path and the namespace holds the TCP connection.
 */
@Timeout(120)
class ThirdPartyTransportTest {
    private static final String BUNDLE = "tm-transport-tcp-example";
    /** FileInstall polls deploy/ every second; then a handshake, which the node retries every 5 s. */
    private static final Duration FIRST_REPLY_BOUND = Duration.ofSeconds(20);

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void exampleTcpTransportDroppedIntoDeployCarriesAPing() throws Exception {
        Path jar = exampleJar();
        try (Testbed bed = Testbed.create("third-party-transport")) {
            NodePair pair = NodePair.prepare(bed);
            NodeHost a = pair.a();
            NodeHost b = pair.b();
            try (Stream<Path> bundles = Files.list(a.node().home().resolve("bundle"))) {
                assertFalse(bundles.anyMatch(f -> f.getFileName().toString().startsWith(BUNDLE)),
                        "the distribution itself must not carry the example transport");
            }
            Concurrently.all(() -> a.up(pair.psk()), () -> b.up(pair.psk()));
            a.addPeer(b.publicKey(), "tcp:" + b.endpoint(), b.allowedIp());
            b.addPeer(a.publicKey(), "tcp:" + a.endpoint(), a.allowedIp());

            String before = String.join("\n", OperatorOutput.peerBlock(a.node().shell("tm:peers"), b.publicKey()));
            assertTrue(before.contains("tcp:" + b.endpoint() + " (waiting: no transport named tcp is bound)"),
                    () -> "A's peer B waits for the tcp transport:\n" + before);
            assertEquals(0, Ping.count(a.ns(), b.meshAddress(), 2, Duration.ofMillis(200)),
                    "no tunnel before the transport is there (the peers have no UDP endpoint)");
            long pidA = a.node().daemon().pid();
            long pidB = b.node().daemon().pid();

            Concurrently.all(() -> deploy(jar, a), () -> deploy(jar, b));

            Duration firstReply = Ping.timeToFirstReply(a.ns(), b.meshAddress(), FIRST_REPLY_BOUND);
            assertNotNull(firstReply, () -> "no reply through the tunnel within " + FIRST_REPLY_BOUND.toSeconds()
                    + " s of deploying the TCP transport\n" + pair.diagnostics());
            System.out.printf("[e2e] third-party transport: first reply %d ms after the jars were moved into deploy/%n",
                    firstReply.toMillis());
            assertEquals(5, Ping.count(b.ns(), a.meshAddress(), 5, Duration.ofMillis(100)),
                    () -> "pings from B to A, over the connection A made\n" + pair.diagnostics());

            // A reaches B at B's TCP listening port; B answers over the connection A made, from A's address
            assertEquals("tcp:" + b.endpoint(), endpointLine(a, b), () -> pair.diagnostics());
            assertTrue(endpointLine(b, a).startsWith("tcp:" + a.underlayAddress() + ":"), () -> pair.diagnostics());
            // the socket is dual-stack, so ss shows B as [::ffff:192.168.77.2]:51820
            String connections = a.ns().exec(Duration.ofSeconds(5), "ss", "-tnH", "state", "established").stdout();
            assertTrue(connections.lines().anyMatch(l -> l.matches(".*\\b" + b.underlayAddress().replace(".", "\\.")
                    + "]?:" + NodeHost.PORT + "\\s*$")), () -> "A has no TCP connection to B:\n" + connections);

            for (NodeHost n : List.of(a, b)) {
                assertEquals("Active", n.node().bundleState(n.node().bundleId(BUNDLE)), n.node().name());
            }
            assertEquals(pidA, a.node().daemon().pid(), "A was not restarted");
            assertEquals(pidB, b.node().daemon().pid(), "B was not restarted");
        }
    }

    /** The example bundle's jar, from the itest pom's dependency on it. */
    private static Path exampleJar() {
        String path = System.getProperty("tm.e2e.tcp-example.jar", "");
        Skip.unless(!path.isEmpty() && !path.startsWith("${") && Files.isRegularFile(Path.of(path)),
                "the example transport's jar (tm.e2e.tcp-example.jar='" + path + "') is not built; build it with"
                        + " 'mvn -B -pl bundles/transport-tcp-example -am install'");
        return Path.of(path);
    }

    /** As an operator would: copy next to deploy/, then move it in, so FileInstall never sees half a jar. */
    private static Path deploy(Path jar, NodeHost host) {
        Path deploy = host.node().home().resolve("deploy");
        try {
            Path partial = Files.copy(jar, deploy.resolveSibling(BUNDLE + ".jar.part"), StandardCopyOption.REPLACE_EXISTING);
            return Files.move(partial, deploy.resolve(BUNDLE + ".jar"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code endpoint:} (path in use) of {@code peer} in {@code host}'s {@code tm:peers}. */
    private static String endpointLine(NodeHost host, NodeHost peer) {
        return OperatorOutput.peerBlock(host.node().shell("tm:peers"), peer.publicKey()).stream()
                .map(String::strip).filter(l -> l.startsWith("endpoint:"))
                .map(l -> l.substring("endpoint:".length()).strip()).findFirst().orElse("(no endpoint line)");
    }
}
