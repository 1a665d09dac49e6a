package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.NodeKey;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Names in use (compared case-insensitively, as DNS does) and who holds them. An implicit name gets the first
 * free {@code -2}, {@code -3}… suffix; a hint per base name keeps a thousand "ubuntu"s from re-scanning
 * "ubuntu-2".."ubuntu-999" on every join. Not thread-safe: the store's write lock guards it.
 */
final class NodeNames {
    /** A DNS label is at most 63 characters; the suffix replaces the end of a long base. */
    private static final int MAX_LABEL = 63;

    private final Map<String, NodeKey> holders = new HashMap<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();

    Optional<NodeKey> holder(String name) {
        return Optional.ofNullable(holders.get(key(name)));
    }

    /** {@code base} if free, else {@code base-N} with the lowest free N >= 2 from the hint on. */
    String free(String base) {
        if (!holders.containsKey(key(base))) {
            return base;
        }
        String hintKey = key(base);
        int n = nextSuffix.getOrDefault(hintKey, 2);
        while (true) {
            String candidate = withSuffix(base, n);
            if (!holders.containsKey(key(candidate))) {
                nextSuffix.put(hintKey, n);
                return candidate;
            }
            n++;
        }
    }

    void add(String name, NodeKey holder) {
        holders.put(key(name), holder);
    }

    void remove(String name) {
        holders.remove(key(name));
        // a freed "base-N" lowers the hint so the next implicit "base" gets that number back
        int dash = name.lastIndexOf('-');
        if (dash > 0) {
            try {
                int n = Integer.parseInt(name.substring(dash + 1));
                String base = key(name.substring(0, dash));
                nextSuffix.computeIfPresent(base, (b, hint) -> Math.min(hint, n));
            } catch (NumberFormatException notSuffixed) {
                // an ordinary name with a dash
            }
        }
    }

    private static String withSuffix(String base, int n) {
        String suffix = "-" + n;
        String b = base.length() + suffix.length() > MAX_LABEL ? base.substring(0, MAX_LABEL - suffix.length()) : base;
        return b + suffix;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
