package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.TunnelPeer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The one timer thread: polls each peer when its {@code nextDeadlineNanos} has passed (retransmits, rekeys,
 * keepalives) and gives it a {@link PathProber} turn when its path's {@code probeDue} has (probes, pongs),
 * sleeping until the earliest deadline but never longer than {@link #MAX_SLEEP_NANOS}, and runs the node's
 * periodic housekeeping (retrying transport binds, closing retired engines).
 */
final class PeerTimers implements Runnable {
    static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** Even a peer that still says "due now" after a poll waits this long, so a stuck deadline cannot spin a core. */
    static final long MIN_SLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Supplier<PeerSet> peerSet;
    private final Egress egress;
    private final Runnable housekeeping;
    private final Faults faults;
    private final PacketBuffers buffers = new PacketBuffers();
    private final PathProber prober;
    private volatile boolean running = true;
    private volatile Thread thread;

    PeerTimers(Supplier<PeerSet> peerSet, Egress egress, Runnable housekeeping, Faults faults) {
        this.peerSet = peerSet;
        this.egress = egress;
        this.housekeeping = housekeeping;
        this.faults = faults;
        this.prober = new PathProber(egress);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long nextHousekeeping = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            long wake = now + MAX_SLEEP_NANOS;
            try {
                wake = pollDue(now);
                egress.flush();
                if (now - nextHousekeeping >= 0) {
                    housekeeping.run();
                    nextHousekeeping = now + HOUSEKEEPING_NANOS;
                }
            } catch (RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
                faults.report("peer timers failed: " + e);
            }
            long sleep = wake - System.nanoTime();
            if (sleep > 0 && running) {
                LockSupport.parkNanos(this, sleep);
            }
        }
    }

    /**
     * Polls every peer whose deadline has passed; returns when the next one is due, at most
     * {@link #MAX_SLEEP_NANOS} from now. Deadlines are compared as absolute values, as the engine does:
     * it uses {@code Long.MIN_VALUE} for "now" and {@code Long.MAX_VALUE} for "never".
     */
    long pollDue(long now) {
        long wake = now + MAX_SLEEP_NANOS;
        for (NodePeer peer : peerSet.get().peers) {
            TunnelPeer tunnel = peer.tunnel();
            if (tunnel == null || peer.path().current() == null) {
                // No path yet (no endpoint, or its transport not bound): nothing polled now could leave, and an
                // initiation made now would be lost and retried only after REKEY_TIMEOUT (5 s). A new path wakes us.
                continue;
            }
            long due = tunnel.nextDeadlineNanos();
            if (due <= now) {
                egress.poll(peer, buffers.out, buffers.outcome, now);
                due = tunnel.nextDeadlineNanos();
            }
            wake = Math.min(wake, due);
            long probeDue = peer.path().probeDue();
            if (probeDue <= now) {
                probeDue = prober.turn(peer, tunnel, now);
            }
            wake = Math.min(wake, probeDue);
        }
        return Math.max(wake, now + MIN_SLEEP_NANOS);
    }

    /** Wakes the thread so it looks at new peers or a new engine at once. */
    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void stop() {
        running = false;
        wake();
    }
}
