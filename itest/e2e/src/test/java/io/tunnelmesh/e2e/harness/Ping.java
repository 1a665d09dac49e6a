package io.tunnelmesh.e2e.harness;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ping} from inside a namespace, with bounded waits. */
public final class Ping {
    private static final Pattern RECEIVED = Pattern.compile("(\\d+) received");

    private Ping() {
    }

    /** Sends exactly {@code count} echo requests {@code interval} apart; returns how many were answered. */
    public static int count(NetworkNamespace from, String address, int count, Duration interval) {
        ProcessResult r = from.exec(interval.multipliedBy(count).plusSeconds(5), "ping", "-n", "-q", "-c",
                Integer.toString(count), "-i", seconds(interval), "-W", "1", address);
        return received(r);
    }

    /**
     * Keeps sending one echo request every {@code interval} until the first reply or {@code timeout}; true on a
     * reply. The first packets may wait for a handshake, which is what this is for. Returns at once (false) while
     * the namespace has no route to {@code address} yet.
     */
    public static boolean firstReply(NetworkNamespace from, String address, Duration interval, Duration timeout) {
        ProcessResult r = from.exec(timeout.plusSeconds(5), "ping", "-n", "-q", "-c", "1", "-i", seconds(interval),
                "-W", "1", "-w", Long.toString(Math.max(1, timeout.toSeconds())), address);
        return received(r) >= 1;
    }

    /** {@link #firstReply} at 5 per second. */
    public static boolean awaitReply(NetworkNamespace from, String address, Duration timeout) {
        return firstReply(from, address, Duration.ofMillis(200), timeout);
    }

    /**
     * Pings every 100 ms until the first reply; returns how long that took from this call, or null when none came
     * within {@code timeout}. Retries at once while the namespace has no route yet.
     */
    public static Duration timeToFirstReply(NetworkNamespace from, String address, Duration timeout)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L);
            ProcessResult r = from.exec(Duration.ofSeconds(left + 5), "ping", "-n", "-q", "-c", "1", "-i", "0.1",
                    "-W", "1", "-w", Long.toString(left), address);
            if (received(r) >= 1) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(20);
        }
        return null;
    }

    private static int received(ProcessResult r) {
        Matcher m = RECEIVED.matcher(r.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String seconds(Duration interval) {
        return String.format(Locale.ROOT, "%.3f", interval.toMillis() / 1000.0);
    }

    /** A ping that keeps running in the background, every {@code interval}, with reply timestamps. */
    public static ContinuousPing continuous(NetworkNamespace from, String address, Duration interval) {
        return ContinuousPing.start(from, address, interval, List.of());
    }

    /** {@link #continuous}, every payload filled with {@code hexPattern} ({@code ping -p}). */
    public static ContinuousPing continuous(NetworkNamespace from, String address, Duration interval,
            String hexPattern) {
        return ContinuousPing.start(from, address, interval, List.of("-p", hexPattern));
    }

    /** {@link #count}, every payload filled with {@code hexPattern} ({@code ping -p}). */
    public static int count(NetworkNamespace from, String address, int count, Duration interval, String hexPattern) {
        ProcessResult r = from.exec(interval.multipliedBy(count).plusSeconds(5), "ping", "-n", "-q", "-c",
                Integer.toString(count), "-i", seconds(interval), "-W", "1", "-p", hexPattern, address);
        return received(r);
    }
}
