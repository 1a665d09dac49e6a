package io.tunnelmesh.transport.relay.internal;

import java.util.function.Consumer;

/**
 * When a lost relay link tries again, the first time after {@link #FIRST_RETRY_MILLIS}, then doubling up to
 * {@link #MAX_RETRY_MILLIS}; and its log lines: each new problem once, not every retry, and one line when it is back.
 * I/O thread only.
 */
final class RelayBackoff {
    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 10_000;

    private final RelayServer server;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private int failures;
    private String lastProblem;

    RelayBackoff(RelayServer server, Consumer<String> warn, Consumer<String> info) {
        this.server = server;
        this.warn = warn;
        this.info = info;
    }

    /** The link is gone (or never came) because of {@code why}: the milliseconds to wait before trying again. */
    long lost(String why) {
        if (!why.equals(lastProblem)) {
            warn.accept("relay link to " + server.hostPort() + ": " + why + "; reconnecting");
            lastProblem = why;
        }
        long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures, 10));
        failures++;
        return delay;
    }

    /** The link is up: the next loss starts again from the first delay. */
    void up() {
        failures = 0;
        if (lastProblem != null) {
            info.accept("relay link to " + server.hostPort() + " is up again");
        }
        lastProblem = null;
    }
}
