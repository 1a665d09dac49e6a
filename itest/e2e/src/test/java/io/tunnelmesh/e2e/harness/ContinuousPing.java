package io.tunnelmesh.e2e.harness;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ping -D -O} running in the background: every reply line carries its wall-clock time, so a test can tell
 * how long traffic stopped and when it came back.
 */
public final class ContinuousPing {
    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+\\.\\d+)] \\d+ bytes from .*icmp_seq=(\\d+)");
    private static final Pattern UNANSWERED = Pattern.compile("no answer yet for icmp_seq=(\\d+)");

    private final StartedProcess process;

    private ContinuousPing(StartedProcess process) {
        this.process = process;
    }

    /** {@code options}: more of ping's options, e.g. {@code -p PATTERN}. */
    static ContinuousPing start(NetworkNamespace from, String address, Duration interval, List<String> options) {
        String seconds = String.format(Locale.ROOT, "%.3f", interval.toMillis() / 1000.0);
        // -w bounds it even if nobody stops it; tests stop it long before.
        List<String> command = new ArrayList<>(List.of("ping", "-n", "-D", "-O", "-i", seconds, "-W", "1", "-w", "300"));
        command.addAll(options);
        command.add(address);
        return new ContinuousPing(from.start("ping-" + address, command));
    }

    public List<Instant> replies() {
        List<Instant> times = new ArrayList<>();
        for (String line : process.log().lines().toList()) {
            Matcher m = REPLY.matcher(line);
            if (m.find()) {
                double t = Double.parseDouble(m.group(1));
                long seconds = (long) t;
                times.add(Instant.ofEpochSecond(seconds, Math.round((t - seconds) * 1e9)));
            }
        }
        return times;
    }

    public long unanswered() {
        return process.log().lines().filter(l -> UNANSWERED.matcher(l).find()).count();
    }

    public int repliesBetween(Instant from, Instant to) {
        return (int) replies().stream().filter(t -> !t.isBefore(from) && !t.isAfter(to)).count();
    }

    /** Waits up to {@code timeout} for a reply stamped after {@code after}; returns it, or null. */
    public Instant awaitReplyAfter(Instant after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Instant t : replies()) {
                if (t.isAfter(after)) {
                    return t;
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    /**
     * The longest stretch without a reply inside {@code [from, to]}, counting from {@code from} to the first reply
     * and from the last one to {@code to}: how much traffic an event in that window cost.
     */
    public Duration longestGap(Instant from, Instant to) {
        Instant previous = from;
        Duration longest = Duration.ZERO;
        for (Instant t : replies()) {
            if (t.isAfter(from) && !t.isAfter(to)) {
                longest = max(longest, Duration.between(previous, t));
                previous = t;
            }
        }
        return max(longest, Duration.between(previous, to));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The time of the last reply so far, or null. */
    public Instant lastReply() {
        List<Instant> all = replies();
        return all.isEmpty() ? null : all.getLast();
    }

    public String logTail(int lines) {
        return process.logTail(lines);
    }

    public void stop() {
        process.stop(Duration.ofSeconds(2));
    }
}
