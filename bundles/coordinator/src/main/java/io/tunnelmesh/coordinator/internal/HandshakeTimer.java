package io.tunnelmesh.coordinator.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Closes a connection whose Noise message 1 has not arrived within the handshake timeout of its accept. */
final class HandshakeTimer {
    private final ControlChannel channel;
    private final Duration timeout;
    private ScheduledFuture<?> timer;
    private long deadline;
    private boolean extended;

    HandshakeTimer(ControlChannel channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    void start() {
        deadline = System.nanoTime() + timeout.toNanos();
        timer = channel.ctx().executor().schedule(this::timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void timedOut() {
        boolean waiting = channel.phase() == ControlChannel.Phase.AWAIT_HELLO;
        if (waiting && !extended && System.nanoTime() - deadline > TimeUnit.SECONDS.toNanos(1)) {
            // The timer ran late: this event loop is behind (a reconnect storm's maps), and message 1 may be
            // waiting unread. The lag is ours, not the client's: give it one more period.
            extended = true;
            start();
            return;
        }
        if (waiting) {
            channel.fail(Counters.Kind.HANDSHAKE_TIMEOUT, "no finished handshake within " + timeout.toMillis() + " ms");
        }
    }
}
