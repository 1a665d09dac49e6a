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
import java.util.concurrent.atomic.AtomicLong;
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
            try {
                for (Future<TestNode> f : joins) {
                    nodes.add(f.get(120, TimeUnit.SECONDS));
                }
            } catch (Exception e) {
                System.out.println("counters: " + c.coordinator.counters().snapshot());
                c.log.lines().stream().filter(l -> !l.contains(" joined")).limit(20).forEach(System.out::println);
                throw e;
            }
            double joinSeconds = (System.nanoTime() - joinStart) / 1e9;

            // every session reads from the start, as a node does, so the connects' online deltas do not pile up
            String mover = nodes.getFirst().publicKey().toBase64();
            long[] heardAt = new long[n];
            CountDownLatch heard = new CountDownLatch(n);
            AtomicLong lastMessage = new AtomicLong(System.nanoTime());
            List<TestNode.Link> links = new ArrayList<>();
            List<Future<TestNode.Link>> connects = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                TestNode node = nodes.get(i);
                connects.add(threads.submit(() -> {
                    TestNode.Link link = node.connect(c);
                    assertEquals(n, link.next(PeerMap.class, Duration.ofSeconds(60)).peers().size());
                    threads.submit(() -> {
                        while (true) {
                            ControlMessage m = link.next(Duration.ofSeconds(120));
                            if (m == null) {
                                return null;
                            }
                            lastMessage.set(System.nanoTime());
                            if (m instanceof PeerDelta d && d.changed().stream().anyMatch(e -> e.publicKey().equals(mover)
                                    && e.endpoints().contains("192.0.2.7:1234"))) {
                                heardAt[id] = System.nanoTime();
                                heard.countDown();
                            }
                        }
                    });
                    return link;
                }));
            }
            try {
                for (Future<TestNode.Link> f : connects) {
                    links.add(f.get(120, TimeUnit.SECONDS));
                }
                // warm up (Jackson builds its endpoints reader on first use)
                links.get(n - 1).send(new EndpointsReport(999, List.of("192.0.2.99:999")));
                Thread.sleep(200);
                // measure a quiet mesh: wait until nobody has received anything for 500 ms
                long quietBy = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() - lastMessage.get() < Duration.ofMillis(500).toNanos() && System.nanoTime() < quietBy) {
                    Thread.sleep(50);
                }
                long sent = System.nanoTime();
                links.getFirst().send(new EndpointsReport(1234, List.of("192.0.2.7:1234")));
                assertTrue(heard.await(30, TimeUnit.SECONDS), "every session heard the change");
                long[] ms = Arrays.stream(heardAt).map(t -> (t - sent) / 1_000_000).sorted().toArray();
                long p50 = ms[n / 2];
                long p99 = ms[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)];
                System.out.printf("fan-out to %d sessions: min %d ms, p50 %d ms, p99 %d ms, max %d ms; %d joins in %.1f s (%.0f/s)%n",
                        n, ms[0], p50, p99, ms[n - 1], n, joinSeconds, n / joinSeconds);
                assertTrue(p99 <= 1000, "p99 " + p99 + " ms");
            } catch (Exception | AssertionError e) {
                System.out.println("counters: " + c.coordinator.counters().snapshot());
                c.log.lines().stream().filter(l -> !l.contains(" joined")).limit(20).forEach(System.out::println);
                throw e;
            } finally {
                for (TestNode.Link link : links) {
                    link.close();
                }
            }
        }
    }

}
