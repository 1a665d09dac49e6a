package io.tunnelmesh.coordinator.store.sqlite.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive ownership of the database by one process (a lock on {@code FILE.lock}). The store keeps the used
 * addresses and names in memory, so a second writer would hand out duplicates; it is refused at open instead.
 * The operating system drops the lock when the process dies, so kill -9 leaves nothing to clean up.
 */
final class StoreLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StoreLock acquire(Path database) throws IOException {
        Path lockFile = database.resolveSibling(database.getFileName() + ".lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw StoreErrors.of(database, "cannot create " + lockFile.getFileName()
                    + ": check that the folder exists and is writable (" + e.getMessage() + ")");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw StoreErrors.of(database, "database is locked by another process: stop the other coordinator");
        }
        return new StoreLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
