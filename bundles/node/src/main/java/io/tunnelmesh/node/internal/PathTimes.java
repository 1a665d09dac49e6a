package io.tunnelmesh.node.internal;

import java.util.concurrent.TimeUnit;

/**
 * The path protocol's times, in one place (nanoseconds). Chosen so a lost direct path is left within 3 s of the
 * first packet it lost, even when that packet was one ping a second: 1.5 s of silence, three pings to be sure
 * (a path with up to ~1 s of round trip still answers one), plus the timer's slack.
 */
final class PathTimes {
    /** Between probe rounds to the direct candidates while the path is a relay or not yet confirmed. */
    static final long PROBE_INTERVAL = TimeUnit.SECONDS.toNanos(2);
    /** After this many unanswered rounds, probes slow down to {@link #SLOW_PROBE_INTERVAL}. */
    static final int FAST_ROUNDS = 5;
    static final long SLOW_PROBE_INTERVAL = TimeUnit.SECONDS.toNanos(10);
    /** Data went out on a direct path and nothing came back this long: ping it to find out. */
    static final long PING_UNANSWERED = TimeUnit.MILLISECONDS.toNanos(500);
    /** Between those pings. */
    static final long PING_REPEAT = TimeUnit.MILLISECONDS.toNanos(300);
    /**
     * Data went out on a direct path and nothing came back this long: the path is lost, the relay takes over.
     * A relayed datagram does not move a direct path heard from more recently than this.
     */
    static final long DIRECT_LOST = TimeUnit.MILLISECONDS.toNanos(1500);
    /** Probes need a session; a peer heard from this recently most likely still has one. */
    static final long SESSION_LIKELY = TimeUnit.SECONDS.toNanos(120);
    /** A call-me-maybe starts a probe round at once, but at most this often. */
    static final long CALL_ME_MAYBE_MIN = TimeUnit.MILLISECONDS.toNanos(500);
    /** A pong from another direct candidate takes the path over only when this much faster (LAN over hairpin). */
    static final double FASTER_BY = 0.7;
    /** Resolution of the "heard from" time the receive threads write, so they write rarely. */
    static final long HEARD_RESOLUTION = TimeUnit.MILLISECONDS.toNanos(5);

    private PathTimes() {
    }
}
