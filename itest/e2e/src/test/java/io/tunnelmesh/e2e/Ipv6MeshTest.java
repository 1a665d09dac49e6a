package io.tunnelmesh.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.e2e.harness.NodeHost;
import io.tunnelmesh.e2e.harness.NodePair;
import io.tunnelmesh.e2e.harness.Ping;
import io.tunnelmesh.e2e.harness.Skip;
import io.tunnelmesh.e2e.harness.TcpTransfer;
import io.tunnelmesh.e2e.harness.Testbed;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IPv6 all the way: an IPv6-only underlay (endpoints {@code [fd78::N]:51820}) and IPv6 mesh addresses, so the node's
 * cryptokey routing, TUN and UDP transport handle the other family too.
 */
@Timeout(90)
class Ipv6MeshTest {

    @BeforeEach
    void requireHostTools() {
        Skip.unlessNodeTestHost();
    }

    @Test
    void ipv6MeshOverIpv6Underlay() throws Exception {
        try (Testbed bed = Testbed.create("ipv6")) {
            NodePair pair = NodePair.startPeered(NodePair.prepare(bed, "fd78::1", "fd78::2", "fd77::1", "fd77::2"));
            NodeHost a = pair.a();
            NodeHost b = pair.b();

            assertTrue(Ping.awaitReply(a.ns(), b.meshAddress(), Duration.ofSeconds(10)),
                    () -> "no IPv6 ping reply through the tunnel\n" + pair.diagnostics());
            assertEquals(5, Ping.count(b.ns(), a.meshAddress(), 5, Duration.ofMillis(100)), "pings from B to A");
            TcpTransfer.assertIntact(b.ns(), b.meshAddress(), 5201, a.ns(), 2 << 20);
        }
    }
}
