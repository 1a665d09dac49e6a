package io.tunnelmesh.bench.coordinator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One endpoint change being traced: the new endpoint (a text no other change uses) and, per node, when a delta
 * carrying it arrived. Each slot is written only by its node's reader thread; the latch publishes them.
 */
final class FanoutProbe {
    private final long[] arrivals;
    private volatile String marker;
    private volatile byte[] markerBytes;
    private volatile int changer = -1;
    private volatile CountDownLatch all = new CountDownLatch(0);
    private volatile long sentNanos;

    FanoutProbe(int nodes) {
        arrivals = new long[nodes];
    }

    /** Arms the probe for {@code endpoint}, which node {@code changer} is about to report. */
    void arm(int changerIndex, String endpoint) {
        Arrays.fill(arrivals, 0);
        changer = changerIndex;
        all = new CountDownLatch(arrivals.length - 1);
        markerBytes = endpoint.getBytes(StandardCharsets.US_ASCII);
        marker = endpoint;
    }

    void sent(long nanos) {
        sentNanos = nanos;
    }

    String marker() {
        return marker;
    }

    byte[] markerBytes() {
        return markerBytes;
    }

    /** Node {@code index} got a delta with the marker at {@code nanos}; repeats and the changer itself don't count. */
    void seen(int index, long nanos) {
        if (index != changer && arrivals[index] == 0) {
            arrivals[index] = nanos;
            all.countDown();
        }
    }

    /** @return true when every other node had the change within the timeout */
    boolean await(long timeoutMillis) throws InterruptedException {
        return all.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    long missing() {
        return all.getCount();
    }

    /** Delivery delay per receiving node in nanoseconds, from the moment the change was sent. */
    long[] delays() {
        long[] out = new long[arrivals.length - 1];
        int n = 0;
        for (int i = 0; i < arrivals.length; i++) {
            if (i != changer) {
                out[n++] = arrivals[i] == 0 ? Long.MAX_VALUE : arrivals[i] - sentNanos;
            }
        }
        return out;
    }

    void disarm() {
        marker = null;
        markerBytes = null;
        changer = -1;
    }
}
