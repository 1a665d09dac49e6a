package io.tunnelmesh.coordinator.store.sqlite.internal;

import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.newKey;
import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.api.IpPrefix;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints joins/s into a growing mesh (synchronous=FULL, so each join waits for an fsync). A figure, not an
 * assertion: it depends on the disk. Set -Dtm.store.bench.nodes=10000 for the full benchmark size.
 */
class AdmissionThroughputTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void printsAdmissionsPerSecond() throws Exception {
        int nodes = Integer.getInteger("tm.store.bench.nodes", 2000);
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(dir.resolve("c.db"), Joins.RANDOM)) {
            store.mesh(IpPrefix.parse("100.64.0.0/10"));
            store.createToken(Joins.token("r", true, Instant.now(), null));
            long start = System.nanoTime();
            long lap = start;
            for (int i = 1; i <= nodes; i++) {
                store.admit(withToken(newKey(), "r", "node", false), Instant.now());
                if (i % 1000 == 0 || i == nodes) {
                    long now = System.nanoTime();
                    System.out.printf("admissions %d: %.0f joins/s over the last %d%n", i,
                            (i % 1000 == 0 ? 1000 : i % 1000) / ((now - lap) / 1e9), i % 1000 == 0 ? 1000 : i % 1000);
                    lap = now;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("admitted %d nodes in %.2f s: %.0f joins/s (one thread, synchronous=FULL)%n",
                    nodes, seconds, nodes / seconds);
            assertEquals(nodes, store.nodes().size());
        }
    }
}
