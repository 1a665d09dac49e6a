package io.tunnelmesh.coordinator.store.sqlite.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The single writer, with group commit. With synchronous=FULL every COMMIT waits for an fsync (about 5 ms
 * here), which would cap joins at ~200/s. So one writer thread takes every write queued while the previous
 * commit ran and runs them in one transaction, each inside its own SAVEPOINT (a refused join undoes only
 * itself), with one COMMIT. Each caller returns only after the COMMIT that holds its write, so what it
 * acknowledges is durable. (Callers taking turns on a lock instead formed a convoy: batches of 1.5.)
 */
final class GroupCommitWriter implements AutoCloseable {
    /** Bounds one transaction, so one batch cannot grow without limit. */
    private static final int MAX_BATCH = 256;

    /** One write: runs in the open transaction; in-memory changes it makes are registered in {@code undo}. */
    @FunctionalInterface
    interface Write<T, X extends Exception> {
        T run(Connection c, Undo undo) throws SQLException, X;
    }

    /** Reverses in-memory changes when the database change they mirror is rolled back. */
    static final class Undo {
        private final ArrayDeque<Runnable> actions = new ArrayDeque<>();

        void add(Runnable action) {
            actions.push(action);
        }

        private void run() {
            while (!actions.isEmpty()) {
                actions.pop().run();
            }
        }
    }

    private static final class Pending<T> {
        final Write<T, ?> work;
        final Undo undo = new Undo();
        final CountDownLatch done = new CountDownLatch(1);
        T result;
        Exception failure;

        Pending(Write<T, ?> work) {
            this.work = work;
        }
    }

    /** Tells the writer thread to stop. */
    private static final Pending<Void> STOP = new Pending<>((c, u) -> null);

    private final Path file;
    private final Connection connection;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    GroupCommitWriter(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        // a daemon: every acknowledged write is already durable, so nothing is lost if close() is forgotten
        this.thread = Thread.ofPlatform().daemon().name("tm-coordinator-store-writer").start(this::loop);
    }

    /** Runs {@code work} in a transaction that is committed before this returns. */
    @SuppressWarnings("unchecked")
    <T, X extends Exception> T write(Write<T, X> work) throws IOException, X {
        if (closed) {
            throw StoreErrors.of(file, "the store is closed: restart the coordinator");
        }
        Pending<T> mine = new Pending<>(work);
        queue.add(mine);
        awaitUninterruptibly(mine.done);
        if (mine.failure == null) {
            return mine.result;
        }
        if (mine.failure instanceof IOException io) {
            throw io;
        }
        if (mine.failure instanceof RuntimeException r) {
            throw r;
        }
        throw (X) mine.failure;
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, through STOP, so no queued write is dropped
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (stop) {
                // writes queued after close() are refused, not dropped
                queue.drainTo(batch);
                batch.remove(STOP);
            }
            if (!batch.isEmpty()) {
                runBatch(batch, stop);
            }
            if (stop) {
                return;
            }
        }
    }

    private void runBatch(List<Pending<?>> batch, boolean closing) {
        if (closing) {
            IOException refused = StoreErrors.of(file, "the store is closed: restart the coordinator");
            batch.forEach(p -> p.failure = refused);
            batch.forEach(p -> p.done.countDown());
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            boolean committed = false;
            try {
                for (Pending<?> p : batch) {
                    runOne(s, p);
                }
                s.execute("COMMIT");
                committed = true;
            } finally {
                if (!committed) {
                    rollbackQuietly(s);
                }
            }
        } catch (SQLException | RuntimeException | Error e) {
            // nothing of this batch is in the database: undo its memory changes, newest first
            IOException failure = e instanceof SQLException sql ? StoreErrors.of(file, sql)
                    : StoreErrors.of(file, "internal error: " + e + ": restart the coordinator");
            for (int i = batch.size() - 1; i >= 0; i--) {
                Pending<?> p = batch.get(i);
                if (p.failure == null) {
                    p.undo.run();
                    p.failure = failure;
                }
            }
        } finally {
            batch.forEach(p -> p.done.countDown());
        }
    }

    private <T> void runOne(Statement s, Pending<T> p) throws SQLException {
        s.execute("SAVEPOINT one_write");
        try {
            p.result = p.work.run(connection, p.undo);
            s.execute("RELEASE SAVEPOINT one_write");
        } catch (Exception refused) {
            p.undo.run();
            p.failure = refused instanceof SQLException sql ? StoreErrors.of(file, sql) : refused;
            // if this fails, SQLite ended the transaction itself: the caller fails the whole batch
            s.execute("ROLLBACK TO SAVEPOINT one_write");
            s.execute("RELEASE SAVEPOINT one_write");
        }
    }

    private static void rollbackQuietly(Statement s) {
        try {
            s.execute("ROLLBACK");
        } catch (SQLException alreadyEnded) {
            // SQLite ends a transaction itself on some errors (e.g. disk full); nothing is left to undo
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the write may commit anyway: wait for the truth before answering
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Finishes the writes already queued, refuses later ones and stops the writer thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
