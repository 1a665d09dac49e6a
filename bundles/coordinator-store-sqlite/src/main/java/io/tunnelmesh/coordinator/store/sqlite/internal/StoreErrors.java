package io.tunnelmesh.coordinator.store.sqlite.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns a database failure into one line that names the file and says what to do. */
final class StoreErrors {
    private StoreErrors() {
    }

    static IOException of(Path file, SQLException e) {
        return new IOException(prefix(file) + advice(e), e);
    }

    static IOException of(Path file, String problem) {
        return new IOException(prefix(file) + problem);
    }

    private static String prefix(Path file) {
        return "coordinator store " + file + ": ";
    }

    private static String advice(SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException s ? s.getResultCode() : null;
        int primary = code == null ? e.getErrorCode() & 0xff : code.code & 0xff;
        return switch (primary) {
            case 5, 6 -> "database is locked by another process: stop the other coordinator";
            case 14 -> "cannot open the database: check that its folder exists and is writable";
            case 11, 26 -> "not a valid database or it is damaged: restore it from a backup, or move it away to start a new mesh";
            case 13 -> "the disk is full: free some space and start the coordinator again";
            case 8, 23 -> "the database is read-only here: check its owner and permissions";
            case 10 -> "I/O error while writing: check the disk, then start the coordinator again";
            default -> "database error: " + firstLine(e.getMessage());
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
