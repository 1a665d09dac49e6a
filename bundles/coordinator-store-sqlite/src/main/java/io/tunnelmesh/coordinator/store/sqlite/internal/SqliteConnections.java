package io.tunnelmesh.coordinator.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens connections with the settings measured to lose nothing under kill -9 (WAL, synchronous=FULL).
 * Through SQLiteDataSource directly: in OSGi, DriverManager does not see the driver bundle.
 */
final class SqliteConnections {
    private SqliteConnections() {
    }

    static Connection open(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        // transactions are explicit BEGIN IMMEDIATE ... COMMIT, so the driver stays in auto-commit
        return source.getConnection();
    }
}
