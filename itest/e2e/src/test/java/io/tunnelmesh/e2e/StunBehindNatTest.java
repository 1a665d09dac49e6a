package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.CoordinatorHost;
import io.tunnelmesh.e2e.harness.Distribution;
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
 * coordinator's responder. A "public" namespace (the coordinator, 203.0.113.1) and a router namespace
 * (WAN 203.0.113.10, LAN 192.168.1.1) doing MASQUERADE and filtering like a home router (nothing unsolicited
 * comes in, the recipe of ../shared/notes/coordinator-stack.md §4), with a host 192.168.1.2 behind it that runs
 * Debian's {@code turnutils_stunclient} (package coturn), and then a TunnelMesh/J node whose UDP socket asks the
 * same responder and reports what it saw.
 */
class StunBehindNatTest {
    private static final String PUBLIC = "203.0.113.";

    @Test
    @Timeout(180)
    void stunClientBehindMasqueradeSeesTheRoutersPublicAddress() throws Exception {
        Skip.unlessNodeTestHost();
        Skip.unlessTool("iptables", "iptables");
        Skip.unlessTool("turnutils_stunclient", "coturn");
        try (Testbed bed = Testbed.create("stun")) {
            Path tarball = Distribution.requireMeshDistribution(bed.runner());
            NetworkNamespace internet = bed.host();
            NetworkNamespace router = bed.host();
            NetworkNamespace home = bed.host();
            bed.wire(internet, PUBLIC + "1/24", router, PUBLIC + "10/24");
            bed.wire(router, "192.168.1.1/24", home, "192.168.1.2/24");
            home.ip("route", "add", "default", "via", "192.168.1.1");
            homeRouter(router, wanInterface(router));

            CoordinatorHost coordinator = CoordinatorHost.prepare(bed, tarball, internet, PUBLIC + "1", "100.64.0.0/16").start();
            // the control port is TCP 7443; the STUN responder answers on UDP 3478 of every address by default
            ProcessResult stun = home.exec(Duration.ofSeconds(20), "turnutils_stunclient", "-p", "3478", PUBLIC + "1");
            String status = coordinator.install().shell("tm:coordinator");
            System.out.println("[e2e] stun: turnutils_stunclient said:\n" + stun.stdout().strip());
            assertTrue(stun.stdout().contains(PUBLIC + "10:"),
                    "the client behind the NAT should see the router's address " + PUBLIC + "10 as its reflexive address:\n"
                            + stun.describe() + "\n" + status);
            assertTrue(!stun.stdout().contains("192.168.1.2:"), "the private address never appears: " + stun.describe());
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
        Skip.unlessTool("iptables", "iptables");
        try (Testbed bed = Testbed.create("stunnode")) {
            Path tarball = Distribution.requireMeshDistribution(bed.runner());
            NetworkNamespace internet = bed.host();
            NetworkNamespace router = bed.host();
            NetworkNamespace home = bed.host();
            bed.wire(internet, PUBLIC + "1/24", router, PUBLIC + "10/24");
            bed.wire(router, "192.168.1.1/24", home, "192.168.1.2/24");
            home.ip("route", "add", "default", "via", "192.168.1.1");
            String wan = wanInterface(router);
            homeRouter(router, wan);
            require(router.exec(Duration.ofSeconds(10), "iptables", "-t", "nat", "-I", "POSTROUTING", "1", "-o", wan, "-p", "udp",
                    "-j", "MASQUERADE", "--to-ports", "40000-40999"));

            CoordinatorHost coordinator = CoordinatorHost.prepare(bed, tarball, internet, PUBLIC + "1", "100.64.0.0/16").start();
            TunnelMeshInstall node = TunnelMeshInstall.unpack(bed, tarball, "home");
            node.initWithNewSshKey();
            ProcessResult join = node.join(home, coordinator.createToken("--name home"), "home");
            require(join);
            node.upAsMember(home);

            // discovery runs at once after connecting, then every 25 s (the first may come before the socket is bound)
            Pattern reflexive = Pattern.compile(Pattern.quote(PUBLIC + "10:") + "(40\\d\\d\\d)\\b");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String nodes = coordinator.nodes();
            while (!reflexive.matcher(nodes).find() && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                nodes = coordinator.nodes();
            }
            System.out.println("[e2e] stun: the coordinator's tm:nodes:\n" + nodes.strip());
            assertTrue(reflexive.matcher(nodes).find(), "tm:nodes should list the router's STUN-mapped address "
                    + PUBLIC + "10:40xxx for the node behind it:\n" + nodes + "\n" + coordinator.diagnostics()
                    + "\n--- node ---\n" + node.daemonTail());
        }
    }

    /** The router's interface towards the internet namespace: the one with the 203.0.113.10 address. */
    private static String wanInterface(NetworkNamespace router) {
        String line = router.ip("-o", "-4", "addr", "show").lines().filter(l -> l.contains(PUBLIC + "10/")).findFirst()
                .orElseThrow(() -> new AssertionError("router has no " + PUBLIC + "10"));
        return line.split("\\s+")[1].replaceAll("@.*", "");
    }

    /** MASQUERADE out of the WAN; in only what answers traffic from the LAN, and nothing unsolicited to the router. */
    private static void homeRouter(NetworkNamespace router, String wan) {
        Duration t = Duration.ofSeconds(10);
        require(router.exec(t, "sysctl", "-qw", "net.ipv4.ip_forward=1"));
        require(router.exec(t, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE"));
        require(router.exec(t, "iptables", "-P", "FORWARD", "DROP"));
        require(router.exec(t, "iptables", "-A", "FORWARD", "!", "-i", wan, "-o", wan, "-j", "ACCEPT"));
        require(router.exec(t, "iptables", "-A", "FORWARD", "-i", wan, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
                "-j", "ACCEPT"));
        require(router.exec(t, "iptables", "-A", "INPUT", "-i", wan, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
                "-j", "ACCEPT"));
        require(router.exec(t, "iptables", "-A", "INPUT", "-i", wan, "-j", "DROP")); // the §4 pitfall
    }

    private static void require(ProcessResult result) {
        assertTrue(result.succeeded(), result.describe());
    }
}
