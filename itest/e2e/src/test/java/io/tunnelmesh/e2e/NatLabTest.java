package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.HomeRouter;
import io.tunnelmesh.e2e.harness.HomeRouter.Mapping;
import io.tunnelmesh.e2e.harness.JavaTool;
import io.tunnelmesh.e2e.harness.NatLab;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.StartedProcess;
import io.tunnelmesh.e2e.harness.TcpTransfer;
import io.tunnelmesh.e2e.harness.Testbed;
import io.tunnelmesh.e2e.tools.UdpPunch;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The NAT lab itself, with no TunnelMesh/J code: that it behaves as the notes measured (coordinator-stack.md §4), so
 * that a mesh test over it means what it says. A bare UDP hole punch between the two hosts succeeds through two
 * plain MASQUERADE routers and fails through two {@code --random-fully} ones; the watch on the internet sees
 * datagrams between the routers and a ping's payload in clear; blocking UDP at a router, cutting UDP between the
 * routers and moving a host behave as the scenario tests need.
 */
@Timeout(60)
class NatLabTest {
    private static final int PUNCH_PORT = 51830;
    private static final Duration PUNCH = Duration.ofSeconds(3);

    @BeforeEach
    void requireHost() {
        Skip.unlessRootWithTools("ip", "ping", "iptables");
    }

    @Test
    void endpointIndependentRoutersLetASimultaneousPunchThroughWithThePortKept() throws Exception {
        try (Testbed bed = Testbed.create("natlab-eim")) {
            NatLab lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
            long before = lab.datagramsBetweenRouters();
            String[] heard = punch(lab);
            assertEquals("/" + lab.b().wanAddress() + ":" + PUNCH_PORT, heard[0], () -> "A should hear B from B's "
                    + "router with B's port kept (endpoint-independent mapping)\n" + lab.diagnostics());
            assertEquals("/" + lab.a().wanAddress() + ":" + PUNCH_PORT, heard[1], lab::diagnostics);
            assertTrue(lab.datagramsBetweenRouters() - before >= 10, lab::diagnostics);
        }
    }

    @Test
    void randomFullyRoutersDefeatThePunch() throws Exception {
        try (Testbed bed = Testbed.create("natlab-edm")) {
            NatLab lab = NatLab.build(bed, Mapping.RANDOM_FULLY, Mapping.RANDOM_FULLY);
            String[] heard = punch(lab);
            assertEquals("nobody", heard[0], () -> "A heard B through two --random-fully routers\n" + lab.diagnostics());
            assertEquals("nobody", heard[1], lab::diagnostics);
            assertTrue(lab.datagramsBetweenRouters() > 0, () -> "the punches were not seen on the internet at all\n"
                    + lab.diagnostics());
        }
    }

    @Test
    void theInternetSeesAPingsPayloadInClear() throws Exception {
        try (Testbed bed = Testbed.create("natlab-clear")) {
            NatLab lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
            String text = "tmNATlabClear";
            lab.watchForClearText(text);
            assertEquals(0, lab.clearTextSightings(text));
            assertEquals(3, Ping.count(lab.a().host(), NatLab.COORDINATOR_ADDRESS, 3, Duration.ofMillis(100),
                    NatLab.pingPattern(text)), lab::diagnostics);
            long seen = lab.clearTextSightings(text);
            assertEquals(6, seen, () -> "3 requests and 3 replies carry the text in clear\n" + lab.diagnostics());
        }
    }

    @Test
    void aRouterThatLetsOnlyTcpToTheCoordinatorOutStopsUdpAndPing() throws Exception {
        try (Testbed bed = Testbed.create("natlab-tcponly")) {
            NatLab lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
            HomeRouter a = lab.a();
            a.allowOnlyTcpTo(NatLab.COORDINATOR_ADDRESS, 7443);
            assertEquals("nobody", punch(lab)[1], () -> "B heard A's UDP although A's router lets only TCP out\n"
                    + lab.diagnostics());
            assertEquals(0, Ping.count(a.host(), NatLab.COORDINATOR_ADDRESS, 2, Duration.ofMillis(100)));
            TcpTransfer.assertIntact(lab.internet(), NatLab.COORDINATOR_ADDRESS, 7443, a.host(), 64 * 1024);
            a.allowAll();
            assertEquals("/" + a.wanAddress() + ":" + PUNCH_PORT, punch(lab)[1], lab::diagnostics);
        }
    }

    @Test
    void udpCutBetweenTheRoutersStopsThePunchUntilRestored() throws Exception {
        try (Testbed bed = Testbed.create("natlab-cut")) {
            NatLab lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
            lab.cutUdpBetweenRouters();
            String[] heard = punch(lab);
            assertEquals("nobody", heard[0], lab::diagnostics);
            assertEquals("nobody", heard[1], lab::diagnostics);
            lab.restoreUdpBetweenRouters();
            assertEquals("/" + lab.b().wanAddress() + ":" + PUNCH_PORT, punch(lab)[0], lab::diagnostics);
        }
    }

    @Test
    void aHostThatMovesToAnotherLanAddressStillReachesTheInternet() throws Exception {
        try (Testbed bed = Testbed.create("natlab-move")) {
            NatLab lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
            HomeRouter a = lab.a();
            a.moveHostTo(HomeRouter.LAN_PREFIX + "3");
            String addresses = a.host().ip("-4", "-o", "addr", "show");
            assertTrue(addresses.contains(HomeRouter.LAN_PREFIX + "3/24") && !addresses.contains(HomeRouter.LAN_PREFIX
                    + "2/"), addresses);
            assertEquals(2, Ping.count(a.host(), NatLab.COORDINATOR_ADDRESS, 2, Duration.ofMillis(100)),
                    lab::diagnostics);
        }
    }

    /** Both hosts punch at once from PUNCH_PORT to the other's router; what A heard and what B heard. */
    private static String[] punch(NatLab lab) throws InterruptedException {
        StartedProcess fromA = start(lab.a(), lab.b());
        StartedProcess fromB = start(lab.b(), lab.a());
        String[] heard = new String[2];
        int i = 0;
        for (StartedProcess p : new StartedProcess[] {fromA, fromB}) {
            assertTrue(p.awaitExit(PUNCH.plusSeconds(10)), p.name() + " did not finish");
            String line = p.log().lines().filter(l -> l.startsWith("received ")).findFirst().orElse("(no result) "
                    + p.log());
            heard[i++] = line.substring(line.lastIndexOf(' ') + 1);
        }
        return heard;
    }

    private static StartedProcess start(HomeRouter from, HomeRouter to) {
        return from.host().start("punch-" + from.name(), JavaTool.command(UdpPunch.class, Integer.toString(PUNCH_PORT),
                to.wanAddress(), Integer.toString(PUNCH_PORT), Long.toString(PUNCH.toMillis())));
    }
}
