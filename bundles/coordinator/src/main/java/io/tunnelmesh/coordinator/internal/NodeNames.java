package io.tunnelmesh.coordinator.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** Node names are DNS labels, so a later mesh DNS can serve {@code NAME.mesh} without escaping. */
final class NodeNames {
    static final int MAX = 63;
    /** Room for the {@code -2}, {@code -3}… the store appends to a taken hostname-derived name. */
    static final int MAX_DERIVED = 56;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private NodeNames() {
    }

    static boolean isLabel(String name) {
        return name != null && LABEL.matcher(name).matches();
    }

    /** @return the explicit name, checked */
    static String explicit(String name) throws Refusal {
        if (!isLabel(name)) {
            throw new Refusal(Refusal.BAD_HELLO, "name '" + oneLine(name) + "' is not a DNS label: use lowercase letters,"
                    + " digits and '-', at most " + MAX + " characters, not starting or ending with '-'");
        }
        return name;
    }

    /** A DNS label from a hostname: its first label, lowercased, other characters turned into '-'. */
    static String fromHostname(String hostname) {
        String text = hostname == null ? "" : hostname.strip().toLowerCase(Locale.ROOT);
        int dot = text.indexOf('.');
        if (dot >= 0) {
            text = text.substring(0, dot);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < MAX_DERIVED; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (ok) {
                b.append(c);
            } else if (!b.isEmpty() && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        }
        while (!b.isEmpty() && b.charAt(b.length() - 1) == '-') {
            b.setLength(b.length() - 1);
        }
        return b.isEmpty() ? "node" : b.toString();
    }

    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** A throwable's message, or its class when it has none, cut to one line. */
    static String oneLine(Throwable e) {
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
