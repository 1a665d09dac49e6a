package io.tunnelmesh.bench.coordinator;

import io.tunnelmesh.control.JoinToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@link CoordinatorProcess} JVM this benchmark starts, talked to over its stdin/stdout. */
final class ChildCoordinator implements AutoCloseable {
    final Process process;
    final InetSocketAddress address;
    final JoinToken token;
    private final BufferedReader replies;
    private final Writer commands;

    private ChildCoordinator(Process process, BufferedReader replies, InetSocketAddress address, JoinToken token) {
        this.process = process;
        this.replies = replies;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        this.address = address;
        this.token = token;
    }

    /** Starts the coordinator JVM with {@code javaOptions} and waits (bounded by its own start) for READY. */
    static ChildCoordinator start(List<String> javaOptions, Path data) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CoordinatorProcess.class.getName());
        command.add(data.toString());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = tagged(in, "READY ");
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("the coordinator JVM did not start; its errors are above");
        }
        String[] parts = line.split(" ");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(parts[1]));
        return new ChildCoordinator(p, in, address, JoinToken.parse(parts[2]));
    }

    /** Heap (after full GC), RSS, CPU and the coordinator's counts, as numbers or text by key. */
    Map<String, String> stats() throws IOException {
        commands.write("stats\n");
        commands.flush();
        String line = tagged(replies, "STATS ");
        if (line == null) {
            throw new IOException("the coordinator JVM ended instead of answering stats");
        }
        Map<String, String> out = new HashMap<>();
        for (String kv : line.substring(6).split(" ")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    /** The next line starting with {@code tag}; other lines (the JVM's own, e.g. JFR's) are passed to stderr. */
    private static String tagged(BufferedReader in, String tag) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith(tag)) {
                return line;
            }
            System.err.println("coordinator JVM: " + line);
        }
        return null;
    }

    static long num(Map<String, String> stats, String key) {
        return Long.parseLong(stats.get(key));
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        try {
            commands.write("quit\n");
            commands.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
