package io.tunnelmesh.logging.internal;

import java.time.Instant;
import java.util.Locale;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

/** One log entry as one line: time, level, bundle, message, and the exception's message if any. */
final class LogLineFormat {
    private LogLineFormat() {
    }

    static String line(LogEntry e) {
        Bundle b = e.getBundle();
        String origin = b == null || b.getSymbolicName() == null ? "-" : b.getSymbolicName();
        StringBuilder sb = new StringBuilder(128)
                .append(Instant.ofEpochMilli(e.getTime()))
                .append(' ').append(String.format(Locale.ROOT, "%-5s", e.getLogLevel()))
                .append(" [").append(origin).append("] ")
                .append(e.getMessage());
        Throwable t = e.getException();
        if (t != null && t.getMessage() != null && !e.getMessage().contains(t.getMessage())) {
            sb.append(": ").append(t.getMessage().lines().findFirst().orElse(""));
        }
        return sb.toString();
    }

    /** Parses a configured level; an unknown word falls back to INFO rather than silencing the log. */
    static LogLevel parseLevel(String text) {
        try {
            return LogLevel.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            System.err.println("tunnelmesh: logging level '" + text + "' is unknown: use ERROR, WARN, INFO, DEBUG or TRACE; using INFO");
            return LogLevel.INFO;
        }
    }
}
