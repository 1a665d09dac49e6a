package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.identity.KeySource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The key sources DS has bound, with their service properties, so a command can wait (bounded) for the one that
 * matches a configuration it has just written.
 */
final class KeySourceRegistry {
    record Entry(KeySource source, Map<String, Object> properties) {
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(KeySource source, Map<String, Object> properties) {
        entries.add(new Entry(source, Map.copyOf(properties)));
        notifyAll();
    }

    synchronized void remove(KeySource source) {
        entries.removeIf(e -> e.source() == source);
        notifyAll();
    }

    synchronized List<Entry> current() {
        return List.copyOf(entries);
    }

    /** The first entry matching {@code wanted}, waiting up to {@code timeout}; null when none appeared. */
    synchronized Entry await(Predicate<Entry> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Entry e : entries) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
