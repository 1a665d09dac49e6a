package io.tunnelmesh.e2e.harness;

import io.tunnelmesh.e2e.tools.TcpSink;
import io.tunnelmesh.e2e.tools.TcpSource;
import java.time.Duration;
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

    /** Transfers {@code bytes}, prints the figures and fails unless every byte arrived unchanged. */
    public static Result assertIntact(NetworkNamespace server, String serverAddress, int port,
            NetworkNamespace client, int bytes) throws InterruptedException {
        Result r = run(server, serverAddress, port, client, bytes, Duration.ofSeconds(30));
        System.out.printf("[e2e] TCP %d bytes to %s in %d ms, sha256 %s%n", r.receivedBytes(), serverAddress,
                r.millis(), r.receivedSha256());
        if (!r.intact()) {
            throw new AssertionError("TCP transfer to " + serverAddress + " corrupted: " + r);
        }
        return r;
    }

    public static Result run(NetworkNamespace server, String serverAddress, int port, NetworkNamespace client,
            int bytes, Duration timeout) throws InterruptedException {
        StartedProcess sink = server.start("tcp-sink", JavaTool.command(TcpSink.class, serverAddress, Integer.toString(port),
                Long.toString(timeout.toMillis())));
        if (sink.awaitLine(LISTENING, Duration.ofSeconds(10)).isEmpty()) {
            throw new IllegalStateException("TCP sink did not start:\n" + sink.logTail(20));
        }
        long start = System.nanoTime();
        StartedProcess source = client.start("tcp-source", JavaTool.command(TcpSource.class, serverAddress,
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
}
