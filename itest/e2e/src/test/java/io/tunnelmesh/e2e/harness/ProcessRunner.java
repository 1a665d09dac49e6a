package io.tunnelmesh.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with bounded waits. Remembers every background process it started and stops exactly those (and
 * their children) on {@link #close()}; it never looks for processes by name.
 */
public final class ProcessRunner implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Path logDir;
    private final Map<String, String> environment;
    private final List<StartedProcess> started = Collections.synchronizedList(new ArrayList<>());
    private int sequence;

    public ProcessRunner(Path logDir, Map<String, String> environment) {
        this.logDir = logDir;
        this.environment = Map.copyOf(environment);
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path logDir() {
        return logDir;
    }

    public ProcessResult run(Duration timeout, String... command) {
        return run(timeout, null, List.of(command));
    }

    /** Runs {@code command} to completion (or kills it at {@code timeout}); {@code stdin} may be null. */
    public ProcessResult run(Duration timeout, Path stdin, List<String> command) {
        Path out = newLogFile("run", ".out");
        Path err = newLogFile("run", ".err");
        ProcessBuilder builder = builder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        try {
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            return new ProcessResult(command, finished ? process.exitValue() : -1, readAndDelete(out),
                    readAndDelete(err), !finished);
        } catch (IOException e) {
            return new ProcessResult(command, -1, "", "cannot start: " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProcessResult(command, -1, "", "interrupted", true);
        }
    }

    /** Starts {@code command} in the background; stdout and stderr go to {@code <logDir>/<name>-N.log}. */
    public StartedProcess start(String name, List<String> command) {
        Path log = newLogFile(name, ".log");
        try {
            Process process = builder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            StartedProcess handle = new StartedProcess(name, process, log);
            started.add(handle);
            return handle;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    @Override
    public void close() {
        List<StartedProcess> mine;
        synchronized (started) {
            mine = new ArrayList<>(started);
            started.clear();
        }
        Collections.reverse(mine);
        mine.parallelStream().forEach(p -> p.stop(STOP_GRACE));
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder;
    }

    private synchronized Path newLogFile(String prefix, String suffix) {
        return logDir.resolve(prefix + "-" + (++sequence) + suffix);
    }

    private static String readAndDelete(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Files.deleteIfExists(file);
            return text;
        } catch (IOException e) {
            return "";
        }
    }
}
