package io.tunnelmesh.coordinator.store.sqlite.internal;

import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.newKey;
import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.api.IpPrefix;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints joins/s into a growing mesh (synchronous=FULL, so each commit waits for an fsync). Figures, not
 * assertions: they depend on the disk. -Dtm.store.bench.nodes=10000 for the full benchmark size.
 */
class AdmissionThroughputTest {
    private static final int NODES = Integer.getInteger("tm.store.bench.nodes", 3000);

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void oneClientAtATime() throws Exception {
        measure(1, Math.min(NODES, 1000));
    }

    @Test
    @Timeout(600)
    void manyClientsAtOnce() throws Exception {
        measure(32, NODES);
    }

    private void measure(int clients, int nodes) throws Exception {
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(dir.resolve("c.db"), Joins.RANDOM)) {
            store.mesh(IpPrefix.parse("100.64.0.0/10"));
            store.createToken(Joins.token("r", true, Instant.now(), null));
            AtomicInteger left = new AtomicInteger(nodes);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                jobs.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        store.admit(withToken(newKey(), "r", "node", false), Instant.now());
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("admitted %d nodes from %d concurrent clients in %.2f s: %.0f joins/s (synchronous=FULL)%n",
                    nodes, clients, seconds, nodes / seconds);
            assertEquals(nodes, store.nodes().size());
        }
    }
}
