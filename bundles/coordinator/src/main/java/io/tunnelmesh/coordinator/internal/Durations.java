package io.tunnelmesh.coordinator.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators type them: {@code 30m}, {@code 24h}, {@code 7d}, {@code 90s}. */
final class Durations {
    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,6})([smhd])");

    private Durations() {
    }

    /** @throws IllegalArgumentException one line with an example */
    static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--expires '" + NodeNames.oneLine(text)
                    + "' is not a duration: write a number and s, m, h or d, e.g. 30m, 24h, 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
