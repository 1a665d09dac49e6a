package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.api.node.PeerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code tm:peers} text, like {@code wg show}: a {@code peer: KEY} line per peer, then indented
 * {@code label: value} lines with fixed labels ({@code name} only for a named peer, such as one a coordinator
 * announced; {@code why relayed} only while the path is a relay), and a blank line between peers. Byte counts are exact numbers, so scripts can compare them.
 */
final class PeerStatusText {
    private PeerStatusText() {
    }

    static String of(List<PeerStatus> peers, Instant now) {
        if (peers.isEmpty()) {
            return "no peers";
        }
        StringBuilder out = new StringBuilder();
        for (PeerStatus p : peers) {
            if (!out.isEmpty()) {
                out.append('\n'); // a blank line between peers, as wg show prints them
            }
            NodeStatusText.line(out, "peer", p.publicKey().toBase64());
            if (!p.name().isEmpty()) {
                NodeStatusText.line(out, "  name", p.name());
            }
            NodeStatusText.line(out, "  endpoint", p.endpoint() == null ? "(none)" : p.endpoint().toString());
            NodeStatusText.line(out, "  path", path(p.endpoint()));
            NodeStatusText.line(out, "  rtt", p.rttNanos() < 0 ? "unknown" : millis(p.rttNanos()));
            if (p.endpoint() != null && p.endpoint().relayed()) {
                NodeStatusText.line(out, "  why relayed", p.whyRelayed().isEmpty() ? "unknown" : p.whyRelayed());
            }
            NodeStatusText.line(out, "  candidates", candidates(p.candidates()));
            NodeStatusText.line(out, "  allowed ips", AddressText.prefixes(p.allowedIps(), false));
            NodeStatusText.line(out, "  latest handshake", handshake(p.latestHandshake(), now));
            NodeStatusText.line(out, "  transfer", p.rxBytes() + " B received, " + p.txBytes() + " B sent");
            NodeStatusText.line(out, "  persistent keepalive",
                    p.persistentKeepaliveSeconds() == 0 ? "off" : "every " + p.persistentKeepaliveSeconds() + " s");
            NodeStatusText.line(out, "  last error", p.lastError() == null ? "none" : p.lastError());
        }
        return out.toString().stripTrailing();
    }

    /**
     * {@code direct ENDPOINT}, {@code relay SERVER} or {@code none}. A relay endpoint reads
     * {@code relay:PEERKEY@HOST:PORT}; the relay is named by what follows the {@code @} (else by its address).
     */
    static String path(Endpoint e) {
        if (e == null) {
            return "none";
        }
        if (!e.relayed()) {
            return "direct " + e;
        }
        String text = e.toString();
        int at = text.lastIndexOf('@');
        return "relay " + (at >= 0 ? text.substring(at + 1) : text.substring(text.indexOf(':') + 1));
    }

    /** A round-trip time as people read one: {@code 1.3 ms}. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** Configured endpoints in order of preference; one that cannot be used says why in parentheses. */
    private static String candidates(List<CandidateStatus> candidates) {
        if (candidates.isEmpty()) {
            return "(none)";
        }
        List<String> parts = new ArrayList<>();
        for (CandidateStatus c : candidates) {
            parts.add(switch (c.state()) {
                case USABLE -> c.endpoint().toString();
                case WAITING -> c.endpoint() + " (waiting: " + c.detail() + ")";
                case REFUSED -> c.endpoint() + " (refused: " + c.detail() + ")";
            });
        }
        return String.join(", ", parts);
    }

    private static String handshake(Instant at, Instant now) {
        if (at == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(at, now).toSeconds());
        return at.truncatedTo(ChronoUnit.SECONDS) + " (" + seconds + " s ago)";
    }
}
