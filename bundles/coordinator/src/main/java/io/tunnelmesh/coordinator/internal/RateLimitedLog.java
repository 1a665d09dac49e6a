package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.support.log.ComponentLog;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts a hostile or broken connection and logs at most one line per kind per interval, saying how many
 * were suppressed, so a flood cannot fill the log.
 */
public final class RateLimitedLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final ComponentLog log;
    private final Counters counters;
    private final InstantSource clock;
    private final Map<Counters.Kind, Instant> lastLine = new EnumMap<>(Counters.Kind.class);
    private final Map<Counters.Kind, Integer> suppressed = new EnumMap<>(Counters.Kind.class);

    public RateLimitedLog(ComponentLog log, Counters counters, InstantSource clock) {
        this.log = log;
        this.counters = counters;
        this.clock = clock;
    }

    public Counters counters() {
        return counters;
    }

    /** Counts one event of {@code kind}; logs {@code detail} unless a line of this kind was logged lately. */
    public void record(Counters.Kind kind, String detail) {
        counters.increment(kind);
        String line;
        synchronized (lastLine) {
            Instant now = clock.instant();
            Instant last = lastLine.get(kind);
            if (last != null && now.isBefore(last.plus(INTERVAL))) {
                suppressed.merge(kind, 1, Integer::sum);
                return;
            }
            lastLine.put(kind, now);
            Integer more = suppressed.remove(kind);
            line = "control connection closed (" + kind.label() + "): " + detail
                    + (more == null ? "" : " (" + more + " more like it in the last " + INTERVAL.toSeconds() + " s)");
        }
        log.warn(line);
    }
}
