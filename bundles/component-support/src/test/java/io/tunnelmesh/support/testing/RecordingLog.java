package io.tunnelmesh.support.testing;

import io.tunnelmesh.support.log.ComponentLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects log lines with their level ({@code "WARN message"}), so tests can check what an operator would read.
 * Shared with other modules' tests through this module's test-jar.
 */
public final class RecordingLog implements ComponentLog {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public void error(String message) {
        lines.add("ERROR " + message);
    }

    /** The lines so far, live: safe to read while components keep logging. */
    public List<String> lines() {
        return lines;
    }

    public boolean has(String part) {
        return lines.stream().anyMatch(l -> l.contains(part));
    }

    @Override
    public String toString() {
        return lines.toString();
    }
}
