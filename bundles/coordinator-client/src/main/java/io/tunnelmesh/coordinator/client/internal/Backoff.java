package io.tunnelmesh.coordinator.client.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential with full jitter (a uniform pick between zero and the current ceiling, which
 * doubles from the base to the cap), so a thousand nodes that lost a restarted coordinator do not return in step.
 * The cap grows with the mesh: {@link #capFor} spreads a whole mesh's return over about one second per
 * {@value #NODES_PER_SECOND} nodes, so a small mesh is back within seconds and a large one does not storm.
 */
final class Backoff {
    private final Duration base;
    private final Duration max;
    private final RandomGenerator random;
    /** Reconnects per second the coordinator should see when every node returns at once. */
    static final int NODES_PER_SECOND = 200;

    private int attempts;

    Backoff(Duration base, Duration max, RandomGenerator random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The cap for a mesh of {@code nodes}: between {@code floor} and the configured maximum. */
    Duration capFor(int nodes, Duration floor) {
        long spread = 1000L * nodes / NODES_PER_SECOND;
        return Duration.ofMillis(Math.min(max.toMillis(), Math.max(floor.toMillis(), spread)));
    }

    Duration next() {
        return next(max);
    }

    Duration next(Duration cap) {
        long ceiling = Math.min(max.toMillis(), cap.toMillis());
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
