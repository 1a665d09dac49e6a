package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.CoordinatorHost;
import io.tunnelmesh.e2e.harness.Distribution;
import io.tunnelmesh.e2e.harness.HomeRouter.Mapping;
import io.tunnelmesh.e2e.harness.MeshMember;
import io.tunnelmesh.e2e.harness.NatLab;
import io.tunnelmesh.e2e.harness.NatMesh;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.ProcessResult;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, where no direct path can exist, in the NAT lab: behind two {@code MASQUERADE --random-fully} routers
 * (a new port per destination, so punching fails) and behind a router that lets only TCP to the coordinator out, the
 * two hosts still ping each other, through the coordinator's relay; {@code peers} says {@code path: relay} and why,
 * {@code tunnelmesh ping} says {@code via relay}, and the internet never sees the ping's payload in clear (the relay
 * carries WireGuard ciphertext, which it cannot read).
 */
class NatRelayTest {
    private static final Duration FIRST_CONTACT = Duration.ofSeconds(10);
    /** The issue: the first packet to a new peer goes out within 1 s whichever path wins. */
    private static final Duration FIRST_PACKET = Duration.ofSeconds(1);
    private static final Duration PATH_SETTLES = Duration.ofSeconds(10);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final String CLEAR_TEXT = "tmNATrelayed";
    private static final Pattern RELAY = Pattern.compile("relay " + Pattern.quote(NatLab.COORDINATOR_ADDRESS + ":"
            + CoordinatorHost.PORT));

    @BeforeEach
    void requireHost() {
        Skip.unlessNodeTestHost();
    }

    @Test
    @Timeout(120)
    void hostsBehindTwoSymmetricNatsReachEachOtherThroughTheRelay() throws Exception {
        relayedMesh("nat-relay-symmetric", Mapping.RANDOM_FULLY, lab -> { });
    }

    @Test
    @Timeout(120)
    void aHostWhoseRouterLetsOnlyTcpToTheCoordinatorOutIsReachedThroughTheRelay() throws Exception {
        relayedMesh("nat-relay-tcp-only", Mapping.ENDPOINT_INDEPENDENT,
                lab -> lab.a().allowOnlyTcpTo(NatLab.COORDINATOR_ADDRESS, CoordinatorHost.PORT));
    }

    /** A lab with {@code mapping} on both routers, {@code network} applied before the nodes join, then the checks. */
    private static void relayedMesh(String name, Mapping mapping, Consumer<NatLab> network) throws Exception {
        long start = System.nanoTime();
        try (Testbed bed = Testbed.create(name)) {
            Path tarball = Distribution.requireMeshDistribution(bed.runner());
            NatLab lab = NatLab.build(bed, mapping, mapping);
            network.accept(lab);
            lab.watchForClearText(CLEAR_TEXT);
            NatMesh mesh = NatMesh.start(bed, lab, tarball);
            MeshMember alpha = mesh.alpha();
            MeshMember bravo = mesh.bravo();
            mesh.awaitPeersKnown(FIRST_CONTACT);
            long ready = System.nanoTime();

            Duration first = Ping.timeToFirstReply(alpha.ns(), bravo.ipv4(), FIRST_CONTACT);
            System.out.printf(Locale.ROOT, "[e2e] %s: first reply alpha -> bravo %s after both listed each other "
                    + "(goal <= 1 s)%n", name, first == null ? "never" : first.toMillis() + " ms");
            assertNotNull(first, () -> "alpha got no reply from bravo (" + bravo.ipv4() + ") within " + FIRST_CONTACT
                    + "\n" + mesh.diagnostics());
            for (MeshMember m : new MeshMember[] {alpha, bravo}) {
                mesh.awaitPath(m, RELAY, PATH_SETTLES);
                String why = mesh.peerLine(m, "why relayed");
                System.out.printf(Locale.ROOT, "[e2e] %s: %s's peers says 'path: %s', 'why relayed: %s'%n", name,
                        m.name(), mesh.peerLine(m, "path"), why);
                assertFalse(why.isEmpty(), () -> m.name() + "'s peer is relayed, but 'peers' does not say why:\n"
                        + mesh.peerBlock(m));
            }

            String pattern = NatLab.pingPattern(CLEAR_TEXT);
            assertEquals(10, Ping.count(alpha.ns(), bravo.ipv4(), 10, INTERVAL, pattern), mesh::diagnostics);
            assertEquals(10, Ping.count(bravo.ns(), alpha.ipv4(), 10, INTERVAL, pattern), mesh::diagnostics);
            ProcessResult ping = mesh.tunnelmeshPing(alpha, 2);
            assertTrue(ping.succeeded() && ping.stdout().contains("pong from bravo (" + bravo.ipv4() + ") via relay "
                    + NatLab.COORDINATOR_ADDRESS + ":" + CoordinatorHost.PORT), () -> "'tunnelmesh ping bravo' should "
                    + "say it went via the relay:\n" + ping.describe());
            assertTrue(RELAY.matcher(mesh.peerLine(alpha, "path")).matches(), () -> "the path left the relay although "
                    + "no direct path can work here:\n" + mesh.peerBlock(alpha));

            assertEquals(0, lab.clearTextSightings(CLEAR_TEXT), () -> "the internet saw the ping's payload '"
                    + CLEAR_TEXT + "' in clear: the relay must carry only ciphertext\n" + lab.diagnostics());
            // the watch is live: the same payload sent outside the tunnel is seen
            Ping.count(bravo.ns(), NatLab.COORDINATOR_ADDRESS, 1, INTERVAL, pattern);
            assertTrue(lab.clearTextSightings(CLEAR_TEXT) > 0, lab::diagnostics);
            System.out.printf(Locale.ROOT, "[e2e] %s: lab and mesh ready in %d ms, checks %d ms; datagrams A->B %d, "
                    + "B->A %d%n", name, (ready - start) / 1_000_000, (System.nanoTime() - ready) / 1_000_000,
                    lab.datagrams(lab.a(), lab.b()), lab.datagrams(lab.b(), lab.a()));
            assertTrue(first.compareTo(FIRST_PACKET) <= 0, () -> "the first reply from a fresh peer took "
                    + first.toMillis() + " ms (goal: the first packet goes out within 1 s whichever path wins)\n"
                    + mesh.diagnostics()); // last: it must not hide the checks above
        }
    }
}
