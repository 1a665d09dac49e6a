package io.tunnelmesh.logging.internal;

import java.time.Instant;
import java.util.Locale;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;

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
}
