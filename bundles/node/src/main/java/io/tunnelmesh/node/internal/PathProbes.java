package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.node.PingReply;
import io.tunnelmesh.api.transport.TransportBinding;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One peer's path messages in flight: pings sent (to match pongs and measure the round trip), pongs owed
 * (the receive thread notes them, the timer thread seals and sends them) and operator pings waiting to go.
 * Fixed-size tables: a flood of pings from the peer overwrites the oldest entry instead of growing anything.
 */
final class PathProbes {
    private static final int SENT_SLOTS = 16;
    private static final int OWED_SLOTS = 8;

    // guarded by this
    private final long[] sentNonce = new long[SENT_SLOTS];
    private final long[] sentAt = new long[SENT_SLOTS];
    private final PingWaiter[] sentFor = new PingWaiter[SENT_SLOTS];
    private final Endpoint[] sentTo = new Endpoint[SENT_SLOTS];
    private int nextSent;
    private long nextNonce = ThreadLocalRandom.current().nextLong() | 1; // never 0, the empty slot
    private final Endpoint[] owedTo = new Endpoint[OWED_SLOTS];
    private final TransportBinding[] owedVia = new TransportBinding[OWED_SLOTS];
    private final long[] owedNonce = new long[OWED_SLOTS];
    private int owed;
    private boolean callMeMaybe;
    private final ArrayDeque<PingWaiter> operatorPings = new ArrayDeque<>();

    /**
     * Registers a ping about to be sent to {@code to}; returns its nonce. {@code waiter} is null for the node's
     * own probes.
     */
    synchronized long sending(Endpoint to, long nowNanos, PingWaiter waiter) {
        long nonce = nextNonce;
        nextNonce = nonce + 2;
        int slot = nextSent;
        nextSent = (slot + 1) % SENT_SLOTS;
        sentNonce[slot] = nonce;
        sentAt[slot] = nowNanos;
        sentFor[slot] = waiter;
        sentTo[slot] = to;
        return nonce;
    }

    /**
     * A pong: the round trip of the ping it answers, or -1 for none of ours, one answered already, or one that
     * came from elsewhere than its ping went (only a pong from where we send proves that path works; one an
     * attacker raced from its own address must not move the path there).
     */
    synchronized long answered(long nonce, Endpoint source, long nowNanos) {
        for (int i = 0; i < SENT_SLOTS; i++) {
            if (sentNonce[i] == nonce && nonce != 0) {
                sentNonce[i] = 0;
                long rtt = Math.max(0, nowNanos - sentAt[i]);
                PingWaiter w = sentFor[i];
                Endpoint to = sentTo[i];
                sentFor[i] = null;
                sentTo[i] = null;
                if (w != null) {
                    w.complete(new PingReply(source, rtt));
                }
                return source.equals(to) ? rtt : -1;
            }
        }
        return -1;
    }

    /** A ping from the peer at {@code source}: a pong is owed; false when the table is full (dropped). */
    synchronized boolean owePong(Endpoint source, TransportBinding via, long nonce) {
        if (owed == OWED_SLOTS) {
            return false;
        }
        owedTo[owed] = source;
        owedVia[owed] = via;
        owedNonce[owed] = nonce;
        owed++;
        return true;
    }

    /** Moves the owed pongs into the caller's arrays (of {@link #OWED_SLOTS}); returns how many. */
    synchronized int takeOwed(Endpoint[] to, TransportBinding[] via, long[] nonce) {
        int n = owed;
        System.arraycopy(owedTo, 0, to, 0, n);
        System.arraycopy(owedVia, 0, via, 0, n);
        System.arraycopy(owedNonce, 0, nonce, 0, n);
        java.util.Arrays.fill(owedTo, 0, n, null);
        java.util.Arrays.fill(owedVia, 0, n, null);
        owed = 0;
        return n;
    }

    static Endpoint[] owedEndpoints() {
        return new Endpoint[OWED_SLOTS];
    }

    static TransportBinding[] owedBindings() {
        return new TransportBinding[OWED_SLOTS];
    }

    static long[] owedNonces() {
        return new long[OWED_SLOTS];
    }

    synchronized void callMeMaybe() {
        callMeMaybe = true;
    }

    /** Whether the peer asked us to probe it since the last call; clears the request. */
    synchronized boolean takeCallMeMaybe() {
        boolean asked = callMeMaybe;
        callMeMaybe = false;
        return asked;
    }

    synchronized void operatorPing(PingWaiter w) {
        operatorPings.add(w);
    }

    synchronized PingWaiter takeOperatorPing() {
        return operatorPings.poll();
    }

    /** An operator's ping ({@code tm:ping}), completed by the receive thread that gets its pong. */
    static final class PingWaiter {
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private volatile PingReply reply;
        private volatile String failure;

        void complete(PingReply r) {
            reply = r;
            done.countDown();
        }

        /** It could not be sent: {@code why} in words. */
        void fail(String why) {
            failure = why;
            done.countDown();
        }

        /** @return the reply, or null on timeout; @throws IllegalStateException when it could not be sent */
        PingReply await(long timeoutNanos) throws InterruptedException {
            done.await(timeoutNanos, TimeUnit.NANOSECONDS);
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return reply;
        }
    }
}
