package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link KillDurabilityTest}: admits nodes in a loop from four threads and prints each key once admit() has
 * returned, i.e. once the coordinator could have acknowledged it. Stops by itself after 60 s in case the
 * test that should kill it is gone.
 */
public final class AdmitLoop {
    private AdmitLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long end = System.nanoTime() + 60_000_000_000L;
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(file, Joins.RANDOM)) {
            store.mesh(IpPrefix.parse("100.64.0.0/10"));
            store.createToken(Joins.token("loop", true, Instant.now(), null));
            // several clients at once, so acknowledged writes that shared a group commit are checked too
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                clients.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            NodeKey key = Joins.newKey();
                            store.admit(Joins.withToken(key, "loop", "n", false), Instant.now());
                            synchronized (System.out) {
                                System.out.println("admitted " + key.toBase64());
                                System.out.flush();
                            }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                }));
            }
            for (Thread client : clients) {
                client.join();
            }
        }
    }
}
