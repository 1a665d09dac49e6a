package io.tunnelmesh.tun.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test, entered by one dedicated thread with setns(2). Linux keeps the network
 * namespace per thread, so the TUN file and sockets that thread opens belong to the namespace while the rest of
 * the JVM stays in the host's. Deleted on close.
 */
final class TestNamespace implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;

    final String name = "tmtest-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private final ExecutorService inside = Executors.newSingleThreadExecutor(r -> new Thread(r, "in-" + name));

    static void assumeRootWithTun() {
        assumeTrue(Files.exists(Path.of(TunFile.DEVICE)), "skipped: " + TunFile.DEVICE + " is missing");
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: TUN tests need root (CAP_NET_ADMIN)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "skipped: the ip tool (iproute2) is missing");
    }

    TestNamespace() throws Exception {
        run("ip", "netns", "add", name);
        try {
            call(() -> {
                int fd = LibC.open("/run/netns/" + name, 0x80000);
                if (fd < 0 || LibC.setns(fd, CLONE_NEWNET) != 0) {
                    throw new IOException("cannot enter namespace " + name);
                }
                LibC.close(fd);
                return null;
            });
            ip("link", "set", "lo", "up");
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** Runs {@code task} on the thread that lives in the namespace. */
    <T> T call(Callable<T> task) throws Exception {
        return inside.submit(task).get(10, TimeUnit.SECONDS);
    }

    <T> Future<T> submit(Callable<T> task) {
        return inside.submit(task);
    }

    /** {@code ip -n NAME ARGS...}; returns its output, or throws with it when ip fails. */
    String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", name));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }

    @Override
    public void close() throws Exception {
        inside.shutdownNow();
        inside.awaitTermination(5, TimeUnit.SECONDS);
        run("ip", "netns", "delete", name);
    }
}
