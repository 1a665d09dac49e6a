package io.tunnelmesh.e2e.harness;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code tm:peers} and {@code tm:status} print, the way an operator reads {@code wg show}: the block of
 * a peer, whether it has a handshake, and the drop counters.
 */
public final class OperatorOutput {
    /** Reason names as in io.tunnelmesh.api.handshake.DropReason (and the node's own), in any case with _ - or space. */
    private static final Pattern DROP_COUNT = Pattern.compile("(?i)\\b(malformed|unknown[_ -]type|bad[_ -]mac1"
            + "|cookie[_ -]required|handshake[_ -]rate[_ -]limited|rate[_ -]limited|unknown[_ -]peer|handshake[_ -]failed|replayed[_ -]handshake"
            + "|handshake[_ -]flood|unknown[_ -]session|decrypt[_ -]failed|replayed[_ -]packet|expired[_ -]session"
            + "|queue[_ -]full|not[_ -]allowed[_ -]source|no[_ -]route)\\b\\W{0,3}(\\d+)");
    private static final Pattern HANDSHAKE_LINE = Pattern.compile("(?i)latest[ _-]?handshake\\W*(.*)$");

    /** "connected" as a word, not "disconnected", "not connected" or "never connected". */
    private static final Pattern CONNECTED = Pattern.compile("(?i)(?<!not |never )\\bconnected\\b");
    /** A {@code state: …} line, where {@code tm:coordinator} prints one. */
    private static final Pattern STATE_LINE = Pattern.compile("(?im)^\\s*state\\s*:\\s*(.*)$");

    private OperatorOutput() {
    }

    /** The lines from the one naming {@code publicKey} up to the next blank line. */
    public static List<String> peerBlock(String peers, String publicKey) {
        List<String> lines = peers.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(publicKey)) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).isBlank()) {
                    end++;
                }
                return lines.subList(i, end);
            }
        }
        return List.of();
    }

    /** Whether the peer's block shows a handshake time (not "never", "none", "-" or absent). */
    public static boolean hasHandshake(String peers, String publicKey) {
        for (String line : peerBlock(peers, publicKey)) {
            Matcher m = HANDSHAKE_LINE.matcher(line);
            if (m.find()) {
                String value = m.group(1).strip().toLowerCase(Locale.ROOT);
                return !(value.isEmpty() || value.startsWith("never") || value.startsWith("none")
                        || value.startsWith("-") || value.startsWith("(none)") || value.startsWith("null"));
            }
        }
        return false;
    }

    /** Whether {@code tm:coordinator} on a node says its coordinator session is connected. */
    public static boolean saysConnected(String coordinatorStatus) {
        Matcher state = STATE_LINE.matcher(coordinatorStatus);
        String judged = state.find() ? state.group(1) : coordinatorStatus;
        return CONNECTED.matcher(judged).find();
    }

    /** Non-blank lines of a command's stdout and stderr together: an operator error must be exactly one. */
    public static List<String> lines(ProcessResult r) {
        return (r.stdout() + "\n" + r.stderr()).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The counter printed for one reason, e.g. {@code NOT_ALLOWED_SOURCE}; 0 when it is not printed. */
    public static long drops(String text, String reason) {
        long total = 0;
        Matcher m = DROP_COUNT.matcher(text);
        while (m.find()) {
            if (m.group(1).toUpperCase(Locale.ROOT).replaceAll("[ -]", "_").equals(reason)) {
                total += Long.parseLong(m.group(2));
            }
        }
        return total;
    }

    /** Sum of every drop counter printed. */
    public static long totalDrops(String text) {
        long total = 0;
        Matcher m = DROP_COUNT.matcher(text);
        while (m.find()) {
            total += Long.parseLong(m.group(2));
        }
        return total;
    }
}
