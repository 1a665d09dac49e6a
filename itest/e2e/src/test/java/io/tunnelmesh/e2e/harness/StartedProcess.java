package io.tunnelmesh.e2e.harness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A background process started by {@link ProcessRunner}; its stdout and stderr go to one log file. */
public final class StartedProcess {
    private final String name;
    private final Process process;
    private final Path log;

    StartedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return log;
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The last lines of the log, for failure messages. */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Writes one line to the process's standard input. */
    public void sendLine(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /**
     * Waits until the log has a line matching {@code pattern}; empty if the process exited first or the time ran out.
     */
    public Optional<Matcher> awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String line : log().lines().toList()) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return Optional.of(m);
                }
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(25);
        }
    }

    /** Waits for the process to end by itself; false when it is still running after {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitCode() {
        return process.exitValue();
    }

    /**
     * SIGKILL to the process and the children it spawned, as {@code kill -9 PID} does; waits up to {@code timeout}
     * for them to be gone. Only ever called on processes this harness started.
     */
    public void kill(Duration timeout) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") still alive " + timeout + " after SIGKILL");
        }
    }

    /**
     * SIGTERM to the process and the children it spawned (a wrapper script's JVM), then SIGKILL whatever is still
     * there after {@code grace}. Only ever called on processes this harness started.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while ((process.isAlive() || tree.stream().anyMatch(ProcessHandle::isAlive)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
