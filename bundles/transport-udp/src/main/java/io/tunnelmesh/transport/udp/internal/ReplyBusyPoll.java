package io.tunnelmesh.transport.udp.internal;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event loop's choice between sleeping in epoll_wait and polling the socket without sleeping. It sleeps,
 * as Netty's default does, except for a short window after a lone datagram left an idle binding that had not
 * received anything for a while either: that datagram is likely a request (a ping, a keystroke), its reply
 * likely comes within a LAN round trip, and a loop that is already awake takes it at once, where a sleeping one
 * first has to be woken and scheduled, and on a VM its idle vCPU too. On the test hosts that wake-up cost more
 * than the rest of a hop. The sender wakes the loop while the datagram is in flight, so the wake-up is off the
 * round trip's path. A datagram sent soon after one arrived is an answer itself and opens no window. Under load
 * the loop is never idle and lone sends do not happen, so the window costs nothing there; at idle it costs at
 * most the window of CPU per request. Each spin turn returns to the loop, which runs queued tasks before
 * polling again.
 */
final class ReplyBusyPoll implements SelectStrategy, SelectStrategyFactory {
    private final long windowNanos;
    /** End of the current window; 0 when none. Set by senders, cleared by the event loop once it has passed. */
    private final AtomicLong pollUntilNanos = new AtomicLong();
    /** When the event loop last finished a read batch; written once per batch. */
    private volatile long lastReceiveNanos = System.nanoTime();

    /** @param windowMicros how long to poll after a lone datagram; 0 turns busy polling off */
    ReplyBusyPoll(int windowMicros) {
        this.windowNanos = windowMicros * 1_000L;
    }

    /** On the event loop, after each read batch. */
    void received() {
        lastReceiveNanos = System.nanoTime();
    }

    /**
     * Opens a window from now unless the datagram just sent answers one that arrived within the window.
     *
     * @return whether a window opened; the caller then wakes the event loop so it polls
     */
    boolean expectReply() {
        long now = System.nanoTime();
        if (windowNanos == 0 || now - lastReceiveNanos < windowNanos) {
            return false;
        }
        long until = now + windowNanos;
        pollUntilNanos.set(until == 0 ? 1 : until);
        return true;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectNow.get();
        }
        long until = pollUntilNanos.get();
        if (until == 0) {
            return SelectStrategy.SELECT;
        }
        if (System.nanoTime() - until >= 0) {
            pollUntilNanos.compareAndSet(until, 0); // not a window a sender opened meanwhile
            return SelectStrategy.SELECT;
        }
        int ready = selectNow.get();
        if (ready > 0) {
            return ready;
        }
        Thread.onSpinWait();
        return SelectStrategy.CONTINUE;
    }

    @Override
    public SelectStrategy newSelectStrategy() {
        return this;
    }
}
