package io.tunnelmesh.e2e.harness;

import java.util.List;

/** What a finished (or timed-out) command produced. */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** One readable paragraph for assertion messages. */
    public String describe() {
        return String.join(" ", command) + (timedOut ? " (timed out)" : " → exit " + exitCode)
                + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
