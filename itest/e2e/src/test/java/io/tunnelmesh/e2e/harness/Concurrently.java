package io.tunnelmesh.e2e.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent slow steps (unpacking and initialising installations, starting nodes) at the same time, the way
 * separate hosts would; it keeps the suite inside its time budget. A failure in any step is rethrown as is.
 */
public final class Concurrently {
    private Concurrently() {
    }

    @SafeVarargs
    public static <T> List<T> all(Callable<T>... steps) throws InterruptedException {
        return all(List.of(steps));
    }

    /** The results in the order of {@code steps}. */
    public static <T> List<T> all(List<Callable<T>> steps) throws InterruptedException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> step : steps) {
                futures.add(pool.submit(step));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return results;
        }
    }
}
