package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.CoordinatorHost;
import io.tunnelmesh.e2e.harness.Distribution;
import io.tunnelmesh.e2e.harness.HomeRouter.Mapping;
import io.tunnelmesh.e2e.harness.NatLab;
import io.tunnelmesh.e2e.harness.NetworkNamespace;
import io.tunnelmesh.e2e.harness.ProcessResult;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.Testbed;
import io.tunnelmesh.e2e.harness.TunnelMeshInstall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: a standard STUN client behind a home router learns the router's public address from the
 * coordinator's responder. In the {@link NatLab} (the coordinator on the public bridge, router A doing MASQUERADE
 * and filtering like a home router), host A runs Debian's {@code turnutils_stunclient} (package coturn), and then a
 * TunnelMesh/J node whose UDP socket asks the same responder and reports what it saw.
 */
class StunBehindNatTest {
    private static final String PUBLIC = NatLab.PUBLIC_PREFIX;

    @Test
    @Timeout(180)
    void stunClientBehindMasqueradeSeesTheRoutersPublicAddress() throws Exception {
        Skip.unlessNodeTestHost();
        Skip.unlessTool("turnutils_stunclient", "coturn");
        try (Testbed bed = Testbed.create("stun")) {
            Path tarball = Distribution.requireMeshDistribution(bed.runner());
            NatLab lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
            CoordinatorHost coordinator = CoordinatorHost.prepare(bed, tarball, lab.internet(), NatLab.COORDINATOR_ADDRESS,
                    "100.64.0.0/16").start();
            // the control port is TCP 7443; the STUN responder answers on UDP 3478 of every address by default
            ProcessResult stun = lab.a().host().exec(Duration.ofSeconds(20), "turnutils_stunclient", "-p", "3478",
                    NatLab.COORDINATOR_ADDRESS);
            String status = coordinator.install().shell("tm:coordinator");
            System.out.println("[e2e] stun: turnutils_stunclient said:\n" + stun.stdout().strip());
            assertTrue(stun.stdout().contains(lab.a().wanAddress() + ":"),
                    "the client behind the NAT should see the router's address " + lab.a().wanAddress()
                            + " as its reflexive address:\n" + stun.describe() + "\n" + status);
            assertTrue(!stun.stdout().contains(lab.a().hostAddress() + ":"), "the private address never appears: "
                    + stun.describe());
            assertTrue(status.contains("stun: UDP port 3478") && !status.contains("stun answered: 0"), status);
        }
    }

    /**
     * A node joined behind the router reports the router's public address, as its own UDP socket's STUN request
     * showed it, to the coordinator. The router maps UDP to ports 40000-40999, so the reflexive endpoint
     * (203.0.113.10:40xxx) cannot be mistaken for the coordinator's own guess (the connection's address with the
     * listen port, 203.0.113.10:51820).
     */
    @Test
    @Timeout(240)
    void nodeBehindMasqueradeReportsTheRoutersAddressAsSeenByStun() throws Exception {
        Skip.unlessNodeTestHost();
        try (Testbed bed = Testbed.create("stunnode")) {
            Path tarball = Distribution.requireMeshDistribution(bed.runner());
            NatLab lab = NatLab.build(bed, Mapping.ENDPOINT_INDEPENDENT, Mapping.ENDPOINT_INDEPENDENT);
            lab.a().mapUdpToPorts("40000-40999");

            CoordinatorHost coordinator = CoordinatorHost.prepare(bed, tarball, lab.internet(), NatLab.COORDINATOR_ADDRESS,
                    "100.64.0.0/16").start();
            TunnelMeshInstall node = TunnelMeshInstall.unpack(bed, tarball, "home");
            node.initWithNewSshKey();
            NetworkNamespace home = lab.a().host();
            ProcessResult join = node.join(home, coordinator.createToken("--name home"), "home");
            assertTrue(join.succeeded(), join.describe());
            node.upAsMember(home);

            // discovery runs at once after connecting, then every 25 s (the first may come before the socket is bound)
            Pattern reflexive = Pattern.compile(Pattern.quote(lab.a().wanAddress() + ":") + "(40\\d\\d\\d)\\b");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String nodes = coordinator.nodes();
            while (!reflexive.matcher(nodes).find() && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                nodes = coordinator.nodes();
            }
            System.out.println("[e2e] stun: the coordinator's tm:nodes:\n" + nodes.strip());
            assertTrue(reflexive.matcher(nodes).find(), "tm:nodes should list the router's STUN-mapped address "
                    + lab.a().wanAddress() + ":40xxx for the node behind it:\n" + nodes + "\n" + coordinator.diagnostics()
                    + "\n--- node ---\n" + node.daemonTail());
        }
    }
}
