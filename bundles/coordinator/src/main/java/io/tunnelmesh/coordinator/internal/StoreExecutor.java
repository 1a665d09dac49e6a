package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The threads that call the store. Store calls block (SQLite fsyncs every commit), so they never run on a
 * Netty event loop. Several threads, because the store commits the writes that are waiting at the same moment
 * together (group commit): one caller waiting for each fsync would cap joins at a few hundred per second.
 * Callers that need an order among their own writes keep it themselves ({@link EndpointRecorder}).
 */
final class StoreExecutor implements AutoCloseable {
    /** Concurrent store calls: enough joins in flight for one group commit to carry many. */
    static final int THREADS = 32;

    /** A store call: may block, may fail with a one-line IOException. */
    interface Call<T> {
        T run() throws Exception;
    }

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS, new java.util.concurrent.ThreadFactory() {
        private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "tm-coordinator-store-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /** Runs {@code call} on a store thread; the future completes with its result or its exception. */
    <T> CompletableFuture<T> submit(Call<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(call.run());
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IOException("the coordinator is stopping"));
        }
        return result;
    }

    /** Fire and forget (records that need not hold anyone up); failures go to {@code log}. */
    void execute(Call<?> call, ComponentLog log) {
        submit(call).whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("coordinator store: " + e.getMessage());
            }
        });
    }

    /** For commands: waits (bounded) and rethrows the store's one-line error as IllegalArgumentException. */
    <T> T call(Call<T> call) {
        try {
            return submit(call).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the coordinator store");
        } catch (TimeoutException e) {
            throw new IllegalStateException("the coordinator store did not answer within 30 s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException("coordinator store: " + cause.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
