package io.tunnelmesh.coordinator.store.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.NodeRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every admission the store acknowledged survives SIGKILL of the process that made it. */
class KillDurabilityTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void everyAcknowledgedAdmissionSurvivesKill9() throws Exception {
        Path file = dir.resolve("coordinator.db");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                AdmitLoop.class.getName(), file.toString())
                .redirectError(dir.resolve("child.err").toFile()).start();
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                // only whole lines count: a line cut by the kill was never acknowledged
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("admitted ") && line.length() == "admitted ".length() + 44) {
                        acknowledged.add(line.substring("admitted ".length()));
                    }
                }
            } catch (Exception ignored) {
                // the stream ends with the process
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(acknowledged.isEmpty(), "the child admitted nothing in 30 s; see " + dir.resolve("child.err"));
            Thread.sleep(2000);
            assertTrue(child.isAlive(), "the child stopped before the kill; see " + dir.resolve("child.err"));
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux, to this one PID
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child " + child.pid() + " did not die");
        }
        reader.join(10_000);
        assertEquals(137, child.exitValue(), "killed by SIGKILL");

        List<String> acked = List.copyOf(acknowledged);
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(file, Joins.RANDOM)) {
            Set<NodeKey> present = store.nodes().stream().map(NodeRecord::publicKey).collect(Collectors.toSet());
            long lost = acked.stream().filter(k -> !present.contains(NodeKey.parse(k))).count();
            System.out.printf("kill -9 after %d acknowledged admissions: %d rows after reopen, %d lost%n",
                    acked.size(), present.size(), lost);
            assertEquals(0, lost, "acknowledged admissions missing after kill -9");
            assertTrue(present.size() >= acked.size());
        }
    }
}
