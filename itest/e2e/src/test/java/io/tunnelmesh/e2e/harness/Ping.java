package io.tunnelmesh.e2e.harness;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ping} from inside a namespace, with bounded waits. */
public final class Ping {
    private static final Pattern RECEIVED = Pattern.compile("(\\d+) received");

    private Ping() {
    }

    /** Sends {@code count} echo requests {@code interval} apart; returns how many were answered. */
    public static int count(NetworkNamespace from, String address, int count, Duration interval) {
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", interval.toMillis() / 1000.0);
        Duration bound = interval.multipliedBy(count).plusSeconds(3);
        ProcessResult r = from.exec(bound.plusSeconds(2), "ping", "-n", "-q", "-c", Integer.toString(count), "-i",
                seconds, "-W", "1", "-w", Long.toString(bound.toSeconds()), address);
        Matcher m = RECEIVED.matcher(r.stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Pings once a second until one reply arrives or {@code timeout} passes; true on a reply. The first packet may
     * wait for a handshake, which is what this is for.
     */
    public static boolean awaitReply(NetworkNamespace from, String address, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (count(from, address, 1, Duration.ofMillis(200)) == 1) {
                return true;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** A ping that keeps running in the background, every {@code interval}, with reply timestamps. */
    public static ContinuousPing continuous(NetworkNamespace from, String address, Duration interval) {
        return ContinuousPing.start(from, address, interval);
    }
}
