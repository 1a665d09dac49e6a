package io.tunnelmesh.coordinator.store.sqlite.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single writer, with group commit. With synchronous=FULL every COMMIT waits for an fsync (about 5 ms
 * here), which would cap joins at ~200/s. So writes that queue up while one commit is under way run together
 * in the next transaction, each inside its own SAVEPOINT (a refused join undoes only itself), and share one
 * COMMIT. Each caller returns only after the COMMIT that holds its write, so it is durable when acknowledged.
 * The caller that takes the lock does the work of everyone queued; no extra thread.
 */
final class GroupCommitWriter implements AutoCloseable {
    /** Bounds one transaction, so one slow batch cannot grow without limit. */
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
        boolean done;
        T result;
        Exception failure;

        Pending(Write<T, ?> work) {
            this.work = work;
        }
    }

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private boolean closed;

    GroupCommitWriter(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Runs {@code work} in a transaction that is committed before this returns. */
    @SuppressWarnings("unchecked")
    <T, X extends Exception> T write(Write<T, X> work) throws IOException, X {
        Pending<T> mine = new Pending<>(work);
        queue.add(mine);
        lock.lock();
        try {
            if (!mine.done) {
                if (closed) {
                    queue.remove(mine);
                    throw StoreErrors.of(file, "the store is closed: restart the coordinator");
                }
                runBatch();
            }
        } finally {
            lock.unlock();
        }
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

    private void runBatch() {
        List<Pending<?>> batch = new ArrayList<>();
        for (Pending<?> p; batch.size() < MAX_BATCH && (p = queue.poll()) != null; ) {
            batch.add(p);
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
                    rollbackQuietly(s, "ROLLBACK");
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
            batch.forEach(p -> p.done = true);
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
            // a failed undo of the savepoint means SQLite ended the transaction itself: fail the whole batch
            s.execute("ROLLBACK TO SAVEPOINT one_write");
            s.execute("RELEASE SAVEPOINT one_write");
        }
    }

    private static void rollbackQuietly(Statement s, String sql) {
        try {
            s.execute(sql);
        } catch (SQLException alreadyEnded) {
            // SQLite ends a transaction itself on some errors (e.g. disk full); nothing is left to undo
        }
    }

    /** Waits for the write under way, then refuses new ones. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
