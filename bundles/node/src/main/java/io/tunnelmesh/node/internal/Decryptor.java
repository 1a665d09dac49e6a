package io.tunnelmesh.node.internal;

import java.util.function.Supplier;

/**
 * The decrypting thread of the inbound flow when it has one ({@code decrypt.thread}, see {@link Ingress}): takes the
 * batches the receive threads handed over, in order, opens each data message, and writes to the TUN device once
 * nothing more is waiting (or a write's batch is full), so a TCP flow's segments still merge into one write.
 */
final class Decryptor implements Runnable {
    /** How long to sleep when idle before looking at {@link #running} again. */
    private static final long IDLE_NANOS = 100_000_000L;

    private final DecryptQueue queue;
    private final Supplier<PeerSet> peerSet;
    private final Delivery delivery;
    private final DropCounters drops;
    private final Faults faults;
    private volatile boolean running = true;

    Decryptor(DecryptQueue queue, Supplier<PeerSet> peerSet, Delivery delivery, DropCounters drops, Faults faults) {
        this.queue = queue;
        this.peerSet = peerSet;
        this.delivery = delivery;
        this.drops = drops;
        this.faults = faults;
    }

    @Override
    public void run() {
        queue.decryptorIs(Thread.currentThread());
        while (running) {
            DecryptQueue.Batch b = queue.take(IDLE_NANOS);
            if (b == null) {
                continue;
            }
            openAll(b);
            queue.recycle(b);
            if (queue.nothingWaiting()) {
                delivery.flush();
            }
        }
    }

    private void openAll(DecryptQueue.Batch b) {
        PeerSet set = peerSet.get();
        long now = System.nanoTime();
        for (int i = 0; i < b.count; i++) {
            try {
                delivery.open(set, b.datagram(i), b.sources[i], b.vias[i], now);
            } catch (RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
                drops.count(NodeDrop.INTERNAL_ERROR);
                faults.report("processing a datagram from " + b.sources[i] + " failed: " + e);
            }
        }
    }

    /** Makes {@link #run} return within {@link #IDLE_NANOS}; receive threads waiting for a batch give up. */
    void stop() {
        running = false;
        queue.close();
    }
}
