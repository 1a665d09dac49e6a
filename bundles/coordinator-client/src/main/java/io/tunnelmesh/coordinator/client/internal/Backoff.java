package io.tunnelmesh.coordinator.client.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential with full jitter (a uniform pick between zero and the current ceiling, which
 * doubles from the base to the cap), so a thousand nodes that lost a restarted coordinator do not return in step.
 */
final class Backoff {
    private final Duration base;
    private final Duration max;
    private final RandomGenerator random;
    private int attempts;

    Backoff(Duration base, Duration max, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    Duration next() {
        long ceiling = max.toMillis();
        if (attempts < 31) {
            ceiling = Math.min(ceiling, base.toMillis() << attempts);
        }
        attempts++;
        return Duration.ofMillis(ceiling <= 0 ? 0 : random.nextLong(ceiling + 1));
    }

    void reset() {
        attempts = 0;
    }

    int attempts() {
        return attempts;
    }
}
