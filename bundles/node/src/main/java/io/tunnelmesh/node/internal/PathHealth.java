package io.tunnelmesh.node.internal;

/**
 * What the packet threads record about one peer's current path, without locks: whether it was heard from, when
 * data went out on it with nothing heard back since, its measured round trip, and when the timer thread should
 * next look at it ({@link PeerPath#maintain}). Volatile fields written only when they change, so a data packet
 * costs a volatile read or two and, rarely, a write.
 */
final class PathHealth {
    /** The current path was heard from (an authenticated datagram from it) since it became the path. */
    private volatile boolean confirmed;
    /** Last authenticated datagram from the current path ({@link PathTimes#HEARD_RESOLUTION}); 0: never. */
    private volatile long heardNanos;
    /** Last authenticated datagram from the peer that shows a session we can send on; 0: never. */
    private volatile long heardAnyNanos;
    /** When data first went out on the current path with nothing heard since, or 0. */
    private volatile long unansweredSince;
    private volatile long rttNanos = -1;
    /** When the timer thread should next run {@link PeerPath#maintain}; Long.MIN_VALUE: now. */
    private volatile long probeDue = Long.MIN_VALUE;

    /** A datagram from the current path. */
    void heard(long nowNanos) {
        if (nowNanos - heardNanos > PathTimes.HEARD_RESOLUTION) {
            heardNanos = nowNanos;
        }
        if (!confirmed) {
            confirmed = true;
        }
        if (unansweredSince != 0) {
            unansweredSince = 0;
        }
    }

    /** A datagram from the peer, from anywhere, on a session we can send on. */
    void heardAny(long nowNanos) {
        long last = heardAnyNanos;
        if (nowNanos - last > PathTimes.HEARD_RESOLUTION) {
            heardAnyNanos = nowNanos;
            if (last == 0 || nowNanos - last >= PathTimes.SESSION_LIKELY) {
                probeDue = Long.MIN_VALUE; // a session (again): the probes can start
            }
        }
    }

    /** Data went out on the current path (TUN reader, per packet). */
    void sending(long nowNanos) {
        if (unansweredSince == 0) {
            unansweredSince = nowNanos == 0 ? 1 : nowNanos;
            watchSoon(nowNanos);
        }
    }

    /**
     * Brings the timer's turn forward to when an unanswered send needs a ping. The TUN reader and the timer
     * thread each write their field, then read the other's (volatile both): one of them sees the other.
     */
    void watchSoon(long since) {
        long due = since + PathTimes.PING_UNANSWERED;
        if (probeDue > due) {
            probeDue = due;
        }
    }

    /** The path changed: nothing is known about the new one. */
    void newPath() {
        confirmed = false;
        rttNanos = -1;
        heardNanos = 0;
        unansweredSince = 0;
        probeDue = Long.MIN_VALUE;
    }

    boolean confirmed() {
        return confirmed;
    }

    boolean heardWithin(long window, long nowNanos) {
        long heard = heardNanos;
        return heard != 0 && nowNanos - heard < window;
    }

    /** Whether the peer most likely has a session we can send probes on. */
    boolean sessionLikely(long nowNanos) {
        long heard = heardAnyNanos;
        return heard != 0 && nowNanos - heard < PathTimes.SESSION_LIKELY;
    }

    long unansweredSince() {
        return unansweredSince;
    }

    long rttNanos() {
        return rttNanos;
    }

    void rtt(long nanos) {
        rttNanos = nanos;
    }

    long probeDue() {
        return probeDue;
    }

    void probeAt(long nanos) {
        probeDue = nanos;
    }
}
