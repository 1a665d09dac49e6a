package io.tunnelmesh.coordinator.store.sqlite.internal;

import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.newKey;
import static io.tunnelmesh.coordinator.store.sqlite.internal.Joins.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.coordinator.AdmissionException.Reason;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.NodeRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Joins from many threads at once: every one lands, no two share an address or a name. */
class ConcurrentAdmissionTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 100;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void eightThreadsAdmitWithoutDuplicatesOrLosses() throws Exception {
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(dir.resolve("c.db"), Joins.RANDOM)) {
            store.mesh(IpPrefix.parse("100.64.0.0/16"));
            store.createToken(Joins.token("r", true, Instant.now(), null));
            ConcurrentLinkedQueue<NodeRecord> admitted = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                        admitted.add(store.admit(withToken(newKey(), "r", "same", false), Instant.now()));
                    }
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            int n = THREADS * PER_THREAD;
            assertEquals(n, admitted.size());
            List<NodeRecord> stored = store.nodes();
            assertEquals(n, stored.size(), "every acknowledged node is stored");
            assertEquals(n, stored.stream().map(NodeRecord::ipv4).collect(Collectors.toSet()).size(), "IPv4 unique");
            assertEquals(n, stored.stream().map(NodeRecord::ipv6).collect(Collectors.toSet()).size(), "IPv6 unique");
            assertEquals(n, stored.stream().map(NodeRecord::name).collect(Collectors.toSet()).size(), "names unique");
            assertEquals(new HashSet<>(admitted.stream().map(NodeRecord::publicKey).toList()),
                    stored.stream().map(NodeRecord::publicKey).collect(Collectors.toSet()));
            assertEquals(n, store.tokens().getFirst().uses());
        }
    }

    @Test
    @Timeout(60)
    void aOneTimeTokenRacedByEightThreadsAdmitsExactlyOne() throws Exception {
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(dir.resolve("race.db"), Joins.RANDOM)) {
            store.mesh(IpPrefix.parse("100.64.0.0/16"));
            store.createToken(Joins.token("once", false, Instant.now(), null));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Reason>> outcomes = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                outcomes.add(pool.submit(() -> {
                    try {
                        store.admit(withToken(newKey(), "once", "racer", false), Instant.now());
                        return null;
                    } catch (AdmissionException e) {
                        return e.reason();
                    }
                }));
            }
            List<Reason> reasons = new ArrayList<>();
            for (Future<Reason> f : outcomes) {
                reasons.add(f.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertEquals(1, reasons.stream().filter(r -> r == null).count(), "exactly one admitted: " + reasons);
            assertEquals(THREADS - 1, reasons.stream().filter(r -> r == Reason.TOKEN_USED).count(), reasons.toString());
            assertEquals(1, store.nodes().size());
            assertEquals(1, store.tokens().getFirst().uses());
            assertEquals("racer", store.nodes().getFirst().name());
        }
    }
}
