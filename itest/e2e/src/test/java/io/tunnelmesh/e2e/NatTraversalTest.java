package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.ContinuousPing;
import io.tunnelmesh.e2e.harness.Distribution;
import io.tunnelmesh.e2e.harness.HomeRouter;
import io.tunnelmesh.e2e.harness.HomeRouter.Mapping;
import io.tunnelmesh.e2e.harness.MeshMember;
import io.tunnelmesh.e2e.harness.NatLab;
import io.tunnelmesh.e2e.harness.NatMesh;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.ProcessResult;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.StepDurations;
import io.tunnelmesh.e2e.harness.Testbed;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14 through two ordinary home routers (plain MASQUERADE: endpoint-independent mapping, nothing unsolicited
 * comes in), both LANs 192.168.1.0/24: the nodes behind them punch through and talk directly (datagrams flow between
 * the routers' public addresses, {@code peers} says {@code path: direct}); when the internet drops UDP between the
 * routers the relay takes over within 3 s and the path goes back to direct when UDP returns; a host that changes its
 * LAN address is followed within 3 s (last: after it the old mapping may keep the pair relayed for a while). One lab and one mesh for the class, steps in order; a ping's payload pattern
 * never crosses the internet in clear.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NatTraversalTest {
    private static final Duration FIRST_CONTACT = Duration.ofSeconds(10);
    /** The issue: the first packet to a new peer goes out within 1 s whichever path wins. */
    private static final Duration FIRST_PACKET = Duration.ofSeconds(1);
    /** The bound for falling back to the relay and for following a roaming node. */
    private static final Duration GOAL = Duration.ofSeconds(3);
    /** How long the path may take to go (back) to direct: background probing, not a stated goal of the issue. */
    private static final Duration BACK_TO_DIRECT = Duration.ofSeconds(20);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final String CLEAR_TEXT = "tmNATdirect";
    private static final Pattern DIRECT_TO_B = Pattern.compile("direct udp:" + Pattern.quote(NatLab.PUBLIC_PREFIX + "20:")
            + "\\d+");
    private static final Pattern DIRECT_TO_A = Pattern.compile("direct udp:" + Pattern.quote(NatLab.PUBLIC_PREFIX + "10:")
            + "\\d+");
    private static final Pattern RELAY = Pattern.compile("relay " + Pattern.quote(NatLab.COORDINATOR_ADDRESS) + ":\\d+");

    private Testbed bed;
    private NatLab lab;
    private NatMesh mesh;
    private MeshMember alpha;
    private MeshMember bravo;
    private boolean direct;
    @RegisterExtension
    final StepDurations steps = new StepDurations("nat-direct");

    @BeforeAll
    void buildLabAndMesh() throws Exception {
        Skip.unlessNodeTestHost();
        bed = Testbed.create("nat-direct");
        lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
        lab.watchForClearText(CLEAR_TEXT);
        mesh = NatMesh.start(bed, lab, Distribution.requireMeshDistribution(bed.runner()));
        alpha = mesh.alpha();
        bravo = mesh.bravo();
    }

    @AfterAll
    void tearDown() {
        if (bed != null) {
            bed.close();
        }
    }



    @Test
    @Order(1)
    @Timeout(30)
    void theCoordinatorSeesEachNodeAtItsRoutersPublicAddress() {
        String nodes = mesh.coordinator().nodes();
        for (HomeRouter r : new HomeRouter[] {lab.a(), lab.b()}) {
            assertTrue(nodes.contains(r.wanAddress() + ":"), () -> "tm:nodes shows no endpoint at router " + r.name()
                    + "'s public address " + r.wanAddress() + ":\n" + nodes);
        }
    }

    @Test
    @Order(2)
    @Timeout(60)
    void hostsBehindTwoEasyNatsPingEachOtherStraightBetweenTheRouters() throws Exception {
        mesh.awaitPeersKnown(FIRST_CONTACT);
        Duration first = Ping.timeToFirstReply(alpha.ns(), bravo.ipv4(), FIRST_CONTACT);
        System.out.printf(Locale.ROOT, "[e2e] nat-direct: first reply alpha -> bravo %s after both listed each other "
                + "(goal <= 1 s)%n", millis(first));
        assertNotNull(first, () -> "alpha got no reply from bravo (" + bravo.ipv4() + ") within " + FIRST_CONTACT
                + "\n" + mesh.diagnostics());
        assertNotNull(Ping.timeToFirstReply(bravo.ns(), alpha.ipv4(), FIRST_CONTACT), mesh::diagnostics);
        // the first replies may have come through the relay (relay first, upgrade later is allowed)
        awaitPingsStraightBetweenTheRouters();

        long before = lab.datagramsBetweenRouters();
        assertEquals(10, Ping.count(alpha.ns(), bravo.ipv4(), 10, INTERVAL, NatLab.pingPattern(CLEAR_TEXT)),
                mesh::diagnostics);
        assertEquals(10, Ping.count(bravo.ns(), alpha.ipv4(), 10, INTERVAL, NatLab.pingPattern(CLEAR_TEXT)),
                mesh::diagnostics);
        long between = lab.datagramsBetweenRouters() - before;
        System.out.printf(Locale.ROOT, "[e2e] nat-direct: 10 pings each way, %d datagrams between %s and %s%n",
                between, lab.a().wanAddress(), lab.b().wanAddress());
        assertTrue(between >= 40, () -> "10 pings each way and their replies should cross the internet as datagrams "
                + "between the routers' public addresses; counted " + between + "\n" + mesh.diagnostics());
        direct = true;
        assertTrue(first.compareTo(FIRST_PACKET) <= 0, () -> "the first reply from a fresh peer took "
                + first.toMillis() + " ms (goal: the first packet goes out within 1 s whichever path wins)\n"
                + mesh.diagnostics()); // last: the steps after need only the direct path
    }

    @Test
    @Order(3)
    @Timeout(60)
    void peersAndTunnelmeshPingSayDirect() throws Exception {
        requireDirect();
        mesh.awaitPath(alpha, DIRECT_TO_B, BACK_TO_DIRECT);
        mesh.awaitPath(bravo, DIRECT_TO_A, BACK_TO_DIRECT);
        assertEquals("", mesh.peerLine(alpha, "why relayed"), "no 'why relayed:' while direct");
        ProcessResult ping = mesh.tunnelmeshPing(alpha, 2);
        String via = "pong from bravo (" + bravo.ipv4() + ") via " + mesh.peerLine(alpha, "path") + " in ";
        assertTrue(ping.succeeded() && ping.stdout().contains(via), () -> "'tunnelmesh ping bravo' should say '" + via
                + "…':\n" + ping.describe());
    }

    @Test
    @Order(4)
    @Timeout(90)
    void whenUdpBetweenTheRoutersIsCutTheRelayTakesOverAndDirectComesBack() throws Exception {
        requireDirect();
        mesh.awaitPath(alpha, DIRECT_TO_B, BACK_TO_DIRECT);
        ContinuousPing ping = Ping.continuous(alpha.ns(), bravo.ipv4(), INTERVAL, NatLab.pingPattern(CLEAR_TEXT));
        try {
            assertNotNull(ping.awaitReplyAfter(Instant.now(), FIRST_CONTACT), () -> ping.logTail(10));
            Instant cut = Instant.now();
            lab.cutUdpBetweenRouters();
            Thread.sleep(GOAL.toMillis() + 3000);
            Duration gap = ping.longestGap(cut, Instant.now());
            System.out.printf(Locale.ROOT, "[e2e] nat-direct: UDP cut between the routers; longest gap in alpha's "
                    + "ping %d ms (goal <= 3000 ms)%n", gap.toMillis());
            assertTrue(gap.compareTo(GOAL) <= 0, () -> "alpha's ping to bravo stopped for " + gap.toMillis()
                    + " ms after UDP between the routers was cut (goal: relay within 3 s)\n" + ping.logTail(60)
                    + "\n" + mesh.diagnostics());
            mesh.awaitPath(alpha, RELAY, Duration.ofSeconds(1));
            assertTrue(!mesh.peerLine(alpha, "why relayed").isEmpty(), () -> "relayed, but no 'why relayed:' line:\n"
                    + mesh.peerBlock(alpha));

            Instant restored = Instant.now();
            lab.restoreUdpBetweenRouters();
            mesh.awaitPath(alpha, DIRECT_TO_B, BACK_TO_DIRECT);
            Instant back = Instant.now();
            Thread.sleep(1000);
            System.out.printf(Locale.ROOT, "[e2e] nat-direct: UDP restored; 'path: direct' again after %d ms%n",
                    Duration.between(restored, back).toMillis());
            Duration gapBack = ping.longestGap(restored, Instant.now());
            assertTrue(gapBack.compareTo(Duration.ofSeconds(1)) <= 0, () -> "moving back to direct cost "
                    + gapBack.toMillis() + " ms of replies\n" + ping.logTail(40));
        } finally {
            ping.stop();
            lab.restoreUdpBetweenRouters(); // the next step needs the internet whole even when this one failed
        }
        long before = lab.datagramsBetweenRouters();
        assertEquals(5, Ping.count(alpha.ns(), bravo.ipv4(), 5, INTERVAL), mesh::diagnostics);
        assertTrue(lab.datagramsBetweenRouters() - before >= 10, () -> "back to direct, yet the pings did not cross "
                + "between the routers\n" + lab.diagnostics());
    }

    @Test
    @Order(5)
    @Timeout(60)
    void aHostThatChangesItsLanAddressIsFollowedWithinThreeSeconds() throws Exception {
        requireDirect();
        ContinuousPing ping = Ping.continuous(alpha.ns(), bravo.ipv4(), INTERVAL, NatLab.pingPattern(CLEAR_TEXT));
        try {
            assertNotNull(ping.awaitReplyAfter(Instant.now(), FIRST_CONTACT), () -> ping.logTail(10));
            lab.a().moveHostTo(HomeRouter.LAN_PREFIX + "3");
            Instant moved = Instant.now(); // after: a reply already on its way in the move must not count
            Instant resumed = ping.awaitReplyAfter(moved, GOAL.plusSeconds(5));
            Duration gap = resumed == null ? null : Duration.between(moved, resumed);
            System.out.printf(Locale.ROOT, "[e2e] nat-direct: alpha moved to %s3; replies resumed after %s (goal <= "
                    + "3 s)%n", HomeRouter.LAN_PREFIX, millis(gap));
            assertNotNull(resumed, () -> "no reply within 8 s after alpha's host moved to another LAN address\n"
                    + ping.logTail(30) + "\n" + mesh.diagnostics());
            assertTrue(gap.compareTo(GOAL) <= 0, () -> "replies resumed only " + gap.toMillis() + " ms after alpha "
                    + "moved (goal <= 3 s)\n" + ping.logTail(40));
        } finally {
            ping.stop();
        }
        // Back to direct is not required here: the router keeps the old address's mapping while bravo still sends
        // to it, so alpha's new flow to bravo gets another public port; the relay may carry on until it expires.
        System.out.printf(Locale.ROOT, "[e2e] nat-direct: after the move alpha's peers says 'path: %s'%n",
                mesh.peerLine(alpha, "path"));
    }

    @Test
    @Order(6)
    @Timeout(30)
    void thePingsPayloadNeverCrossedTheInternetInClear() {
        requireDirect();
        assertEquals(0, lab.clearTextSightings(CLEAR_TEXT), () -> "the internet saw the ping's payload '" + CLEAR_TEXT
                + "' in clear\n" + lab.diagnostics());
        // the watch was live all along: the same payload sent outside the tunnel is seen
        Ping.count(alpha.ns(), NatLab.COORDINATOR_ADDRESS, 1, INTERVAL, NatLab.pingPattern(CLEAR_TEXT));
        assertTrue(lab.clearTextSightings(CLEAR_TEXT) > 0, lab::diagnostics);
    }

    /** Pings in bursts until a burst's replies all cross between the routers' public addresses. */
    private void awaitPingsStraightBetweenTheRouters() throws InterruptedException {
        long deadline = System.nanoTime() + BACK_TO_DIRECT.toNanos();
        while (true) {
            long before = lab.datagramsBetweenRouters();
            int replies = Ping.count(alpha.ns(), bravo.ipv4(), 5, INTERVAL);
            if (replies == 5 && lab.datagramsBetweenRouters() - before >= 10) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("alpha's pings to bravo did not go straight between the routers within "
                        + BACK_TO_DIRECT.toSeconds() + " s\n" + mesh.diagnostics());
            }
            Thread.sleep(250);
        }
    }

    private void requireDirect() {
        Skip.unless(direct, "needs the direct path of step 2, which it did not leave");
    }

    private static String millis(Duration d) {
        return d == null ? "never" : d.toMillis() + " ms";
    }
}
