package io.tunnelmesh.e2e.harness;

import io.tunnelmesh.e2e.tools.TcpSink;
import io.tunnelmesh.e2e.tools.TcpSource;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves pseudo-random bytes over TCP from one namespace to another and reports the SHA-256 each side computed. Both
 * ends are small JVMs ({@link TcpSource}, {@link TcpSink}) started with {@code ip netns exec}, because a namespace
 * belongs to a process, not to a thread of this one.
 */
public final class TcpTransfer {
    private static final Pattern LISTENING = Pattern.compile("^listening");
    private static final Pattern DIGEST = Pattern.compile("^(sent|received) (\\d+) bytes sha256 ([0-9a-f]{64})");

    public record Result(long sentBytes, String sentSha256, long receivedBytes, String receivedSha256, long millis) {
        public boolean intact() {
            return sentBytes == receivedBytes && sentSha256.equals(receivedSha256);
        }
    }

    private TcpTransfer() {
    }

    public static Result run(NetworkNamespace server, String serverAddress, int port, NetworkNamespace client,
            int bytes, Duration timeout) throws InterruptedException {
        StartedProcess sink = server.start("tcp-sink", javaCommand(TcpSink.class, serverAddress, Integer.toString(port),
                Long.toString(timeout.toMillis())));
        if (sink.awaitLine(LISTENING, Duration.ofSeconds(10)).isEmpty()) {
            throw new IllegalStateException("TCP sink did not start:\n" + sink.logTail(20));
        }
        long start = System.nanoTime();
        StartedProcess source = client.start("tcp-source", javaCommand(TcpSource.class, serverAddress,
                Integer.toString(port), Integer.toString(bytes), Long.toString(timeout.toMillis())));
        Optional<Matcher> sent = source.awaitLine(DIGEST, timeout);
        Optional<Matcher> received = sink.awaitLine(DIGEST, Duration.ofSeconds(5));
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (sent.isEmpty() || received.isEmpty()) {
            throw new AssertionError("TCP transfer of " + bytes + " bytes to " + serverAddress + ":" + port
                    + " did not finish in " + timeout + "\nsource: " + source.logTail(10) + "\nsink: "
                    + sink.logTail(10));
        }
        return new Result(Long.parseLong(sent.get().group(2)), sent.get().group(3),
                Long.parseLong(received.get().group(2)), received.get().group(3), millis);
    }

    private static List<String> javaCommand(Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath;
        try {
            classpath = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
