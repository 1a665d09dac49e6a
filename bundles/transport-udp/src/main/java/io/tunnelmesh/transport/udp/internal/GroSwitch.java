package io.tunnelmesh.transport.udp.internal;

/**
 * Whether the socket should receive with UDP_GRO (one recvmsg per run of a sender's datagrams) or without it
 * (recvmmsg, a batch of single datagrams per call). GRO pays when senders send runs (UDP_SEGMENT, as our nodes do);
 * when reads bring single datagrams back to back (a handshake flood, a peer without segmentation offload) one system
 * call per datagram falls behind where recvmmsg keeps up: under a flood of 170,000 initiations/s TCP through the
 * tunnel kept 0-5 % of its closed-port throughput with GRO on and 76-85 % with it off (bench/dataplane/flood.sh).
 *
 * <p>So with GRO on, a window of {@link #WINDOW} reads that came faster than one per 20 µs with hardly a run
 * among them turns it off; {@link #HOLD_NANOS} later it comes back on to look again. Time is passed in, so tests
 * run in virtual nanoseconds. Confined to the binding's event loop.
 */
final class GroSwitch {
    static final int WINDOW = 64;
    /** {@link #WINDOW} reads within this time: the event loop is reading back to back (over 50,000 reads/s). */
    static final long BACK_TO_BACK_NANOS = WINDOW * 20_000L;
    static final long HOLD_NANOS = 1_000_000_000L;
    /** At most this many runs in a window still count as "single datagrams". */
    static final int FEW_RUNS = WINDOW / 8;

    private boolean gro = true;
    private long offSince;
    private int reads;
    private int runs;
    private long windowStart;

    /** Asked before each read loop: whether it should receive with GRO. */
    boolean wantsGro(long nowNanos) {
        if (!gro && nowNanos - offSince >= HOLD_NANOS) {
            gro = true;
            reads = 0;
            runs = 0;
        }
        return gro;
    }

    /** One read (one recvmsg with GRO on) that brought {@code datagrams}: more than one is a run. */
    void read(int datagrams, long nowNanos) {
        if (!gro || datagrams <= 0) {
            return;
        }
        if (reads == 0) {
            windowStart = nowNanos;
        }
        reads++;
        if (datagrams > 1) {
            runs++;
        }
        if (reads == WINDOW) {
            if (nowNanos - windowStart < BACK_TO_BACK_NANOS && runs <= FEW_RUNS) {
                gro = false;
                offSince = nowNanos;
            }
            reads = 0;
            runs = 0;
        }
    }
}
