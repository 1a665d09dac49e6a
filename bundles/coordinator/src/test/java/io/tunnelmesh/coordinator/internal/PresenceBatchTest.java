package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import io.tunnelmesh.control.PeerMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node coming online is only its online flag changing: it waits for the presence batch (so a reconnect storm
 * is not N deltas to N sessions), while an endpoint change goes with the next 50 ms batch and carries the flag.
 */
class PresenceBatchTest {
    @TempDir
    Path dir;

    @Test
    void anOnlineFlagWaitsForThePresenceBatchButAnEndpointChangeCarriesItAtOnce() throws Exception {
        Limits limits = Limits.defaults().withHandshakeTimeout(Duration.ofSeconds(2)).withPresenceDelay(Duration.ofMinutes(10));
        try (TestCoordinator c = new TestCoordinator(dir, limits)) {
            String token = c.token(true);
            TestNode a = new TestNode("alpha");
            TestNode b = new TestNode("bravo");
            assertNull(a.join(c, token, null).error());
            try (TestNode.Link la = a.connect(c)) {
                la.next(PeerMap.class, Duration.ofSeconds(2));
                assertNull(b.join(c, token, null).error());
                assertTrue(firstAbout(la, b, e -> !e.online(), Duration.ofSeconds(2)) != null, "bravo's join went out");
                try (TestNode.Link lb = b.connect(c)) {
                    lb.next(PeerMap.class, Duration.ofSeconds(2));
                    assertNull(firstAbout(la, b, NodeEntry::online, Duration.ofMillis(800)), "bravo's coming online alone is not sent yet");

                    lb.send(new EndpointsReport(40000, List.of("10.9.8.7:40000")));
                    NodeEntry moved = firstAbout(la, b, e -> e.endpoints().contains("10.9.8.7:40000"), Duration.ofSeconds(2));
                    assertTrue(moved != null, "the endpoint change came within the 50 ms batch");
                    assertEquals(true, moved.online(), "and carried the online flag with it");
                }
            }
        }
    }

    /** The first delta entry about {@code node} that matches, within {@code timeout}, or null when none came. */
    private static NodeEntry firstAbout(TestNode.Link link, TestNode node, Predicate<NodeEntry> wanted, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            ControlMessage m;
            try {
                m = link.next(Duration.ofNanos(left));
            } catch (AssertionError quiet) {
                return null;
            }
            if (m instanceof PeerDelta d) {
                for (NodeEntry e : d.changed()) {
                    if (e.publicKey().equals(node.publicKey().toBase64()) && wanted.test(e)) {
                        return e;
                    }
                }
            }
        }
    }
}
