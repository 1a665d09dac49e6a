package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.node.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code tm:status} text: one {@code label: value} per line, fixed labels, so scripts can grep it. */
final class NodeStatusText {
    private NodeStatusText() {
    }

    static String of(NodeStatus s) {
        StringBuilder out = new StringBuilder();
        line(out, "state", s.state());
        if (s.detail() != null && !s.detail().isEmpty()) {
            line(out, "detail", s.detail());
        }
        line(out, "public key", s.publicKey() == null ? "(none)" : s.publicKey().toBase64());
        line(out, "key source", s.keySource() == null || s.keySource().isEmpty() ? "(none)" : s.keySource());
        line(out, "interface", s.interfaceName() == null ? "(not open)" : s.interfaceName());
        line(out, "address", AddressText.prefixes(s.addresses(), true));
        line(out, "listening port", String.valueOf(s.listenPort()));
        line(out, "transports", s.transports().isEmpty() ? "(none)" : String.join(",", s.transports()));
        line(out, "drops", drops(s.drops()));
        return out.toString().stripTrailing();
    }

    private static String drops(Map<String, Long> drops) {
        if (drops.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        drops.forEach((reason, count) -> parts.add(reason + "=" + count));
        return String.join(" ", parts);
    }

    static void line(StringBuilder out, String label, String value) {
        out.append(label).append(": ").append(value).append('\n');
    }
}
