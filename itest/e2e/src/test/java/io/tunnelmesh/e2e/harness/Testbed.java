package io.tunnelmesh.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Everything one test builds: namespaces, wires, processes and a work folder. Closing it
 * stops the processes it started, then deletes its namespaces (which removes their veths and TUNs). The work folder
 * ({@code /tmp/tm-e2e/PID-N-test}: short, because control sockets live inside it) stays, so logs can be read after a
 * failure.
 */
public final class Testbed implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path workDir;
    private final ProcessRunner runner;
    private final List<NetworkNamespace> namespaces = new ArrayList<>();
    /** Cleans up when the test JVM is stopped by a signal (e.g. a build timeout) before close() ran. */
    private final Thread cleanupOnExit = new Thread(this::cleanUp, "e2e-testbed-cleanup");
    private boolean closed;

    private Testbed(Path workDir) {
        this.workDir = workDir;
        Map<String, String> env = new HashMap<>();
        // bin/tunnelmesh needs a JDK 25; the one running these tests is one.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        this.runner = new ProcessRunner(workDir.resolve("logs"), env);
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    public static Testbed create(String testName) {
        Path root = Path.of(System.getProperty("tm.e2e.work", "/tmp/tm-e2e"));
        Path dir = root.resolve(ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + testName);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("[e2e] " + testName + ": work folder " + dir.toAbsolutePath());
        return new Testbed(dir.toAbsolutePath());
    }

    public ProcessRunner runner() {
        return runner;
    }

    public Path workDir() {
        return workDir;
    }

    public synchronized NetworkNamespace host() {
        NetworkNamespace ns = NetworkNamespace.create(runner);
        namespaces.add(ns);
        return ns;
    }

    public VethLink wire(NetworkNamespace left, String leftCidr, NetworkNamespace right, String rightCidr) {
        return VethLink.connect(runner, left, leftCidr, right, rightCidr);
    }

    /** A flat LAN (a bridge in a namespace of its own) to {@link Lan#attach attach} hosts to. */
    public Lan lan() {
        return Lan.create(host(), runner);
    }

    /** Two hosts on one wire: 192.168.77.1 in the first, 192.168.77.2 in the second. */
    public NetworkNamespace[] wiredPair() {
        NetworkNamespace a = host();
        NetworkNamespace b = host();
        wire(a, "192.168.77.1/24", b, "192.168.77.2/24");
        return new NetworkNamespace[] {a, b};
    }

    /** A fresh mesh pre-shared key file, base64 as {@code wg genpsk} writes it. */
    public Path newPresharedKey(String name) {
        Path file = workDir.resolve(name + ".psk");
        ProcessResult psk = NetworkNamespace.require(runner.run(Duration.ofSeconds(5), "wg", "genpsk"));
        try {
            Files.writeString(file, psk.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) cleanUp
        }
        cleanUp();
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        runner.close();
        namespaces.forEach(NetworkNamespace::close);
        deleteBulk();
    }

    /** Jars and class-data archives are most of an unpacked installation; logs and config stay for post-mortems. */
    private void deleteBulk() {
        try (Stream<Path> files = Files.walk(workDir)) {
            files.filter(f -> f.toString().endsWith(".jar") || f.toString().endsWith(".jsa")).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // best effort: a leftover jar in /tmp is harmless
                }
            });
            deleteIfNothingWasKept();
        } catch (IOException e) {
            // best effort, as above
        }
    }

    /** A test that skipped before doing anything leaves no empty folder behind. */
    private void deleteIfNothingWasKept() throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            if (files.anyMatch(Files::isRegularFile)) {
                return;
            }
        }
        try (Stream<Path> dirs = Files.walk(workDir)) {
            for (Path dir : dirs.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(dir);
            }
        }
    }
}
