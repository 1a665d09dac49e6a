package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.support.log.ComponentLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects log lines with their level, so tests can check what an operator would read. */
final class RecordingLog implements ComponentLog {
    final List<String> lines = new CopyOnWriteArrayList<>();

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

    boolean has(String part) {
        return lines.stream().anyMatch(l -> l.contains(part));
    }
}
