package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.PeerDelta;
import io.tunnelmesh.control.PeerMap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many real sessions (virtual threads, blocking sockets) against one coordinator: every session hears one
 * node's endpoint change, fast. The full-scale figures (10,000 nodes) belong to bench/coordinator; this
 * keeps a few hundred in the unit tests so a fan-out regression shows. {@code -Dtm.fanout.nodes=N} scales it.
 */
class FanoutLoadTest {
    @TempDir
    Path dir;

    @Test
    void everySessionHearsAnEndpointChangeWithinOneSecond() throws Exception {
        int n = Integer.getInteger("tm.fanout.nodes", 300);
        try (TestCoordinator c = new TestCoordinator(dir, Limits.defaults().withUnauthenticated(20_000, 20_000));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            String token = c.token(true);
            long joinStart = System.nanoTime();
            List<Future<TestNode>> joins = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                joins.add(threads.submit(() -> {
                    TestNode node = new TestNode("n" + id);
                    node.welcomeTimeoutMillis = 120_000;
                    assertNull(node.join(c, token, null).error());
                    return node;
                }));
            }
            List<TestNode> nodes = new ArrayList<>();
            for (Future<TestNode> f : joins) {
                nodes.add(f.get(120, TimeUnit.SECONDS));
            }
            double joinSeconds = (System.nanoTime() - joinStart) / 1e9;

            List<TestNode.Link> links = new ArrayList<>();
            List<Future<TestNode.Link>> connects = new ArrayList<>();
            for (TestNode node : nodes) {
                connects.add(threads.submit(() -> {
                    TestNode.Link link = node.connect(c);
                    assertEquals(n, link.next(PeerMap.class, Duration.ofSeconds(60)).peers().size());
                    return link;
                }));
            }
            try {
                for (Future<TestNode.Link> f : connects) {
                    links.add(f.get(120, TimeUnit.SECONDS));
                }
                String mover = nodes.getFirst().publicKey().toBase64();
                long[] heardAt = new long[n];
                CountDownLatch heard = new CountDownLatch(n);
                for (int i = 0; i < n; i++) {
                    int id = i;
                    TestNode.Link link = links.get(i);
                    threads.submit(() -> {
                        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                        while (System.nanoTime() < deadline) {
                            ControlMessage m = link.next(Duration.ofNanos(deadline - System.nanoTime()));
                            if (m instanceof PeerDelta d && d.changed().stream().anyMatch(e -> e.publicKey().equals(mover)
                                    && e.endpoints().contains("192.0.2.7:1234"))) {
                                heardAt[id] = System.nanoTime();
                                heard.countDown();
                                return null;
                            }
                        }
                        return null;
                    });
                }
                // warm up (Jackson builds its endpoints reader on first use), and let the connects' deltas pass
                links.get(n - 1).send(new EndpointsReport(999, List.of("192.0.2.99:999")));
                Thread.sleep(500);
                long sent = System.nanoTime();
                links.getFirst().send(new EndpointsReport(1234, List.of("192.0.2.7:1234")));
                assertTrue(heard.await(30, TimeUnit.SECONDS), "every session heard the change");
                long[] ms = Arrays.stream(heardAt).map(t -> (t - sent) / 1_000_000).sorted().toArray();
                long p50 = ms[n / 2];
                long p99 = ms[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)];
                System.out.printf("fan-out to %d sessions: min %d ms, p50 %d ms, p99 %d ms, max %d ms; %d joins in %.1f s (%.0f/s)%n",
                        n, ms[0], p50, p99, ms[n - 1], n, joinSeconds, n / joinSeconds);
                assertTrue(p99 <= 1000, "p99 " + p99 + " ms");
            } finally {
                for (TestNode.Link link : links) {
                    link.close();
                }
            }
        }
    }

}
