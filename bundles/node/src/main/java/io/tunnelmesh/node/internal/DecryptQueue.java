package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Data messages on their way from the transports' receive threads to the {@link Decryptor}, in batches: a receive
 * thread copies each datagram into the batch it is filling and hands the batch over at the end of its receive batch
 * (or when full); the decryptor takes batches in the order they were handed over, so each peer's packets keep
 * their order (wireguard-go's receive → decryption → sequential receiver, with one decrypting thread).
 *
 * <p>A fixed set of preallocated batches and two lock-free rings: nothing is allocated per packet. When every batch
 * is waiting for the decryptor, the receive thread waits for one to come back rather than drop: the socket buffer
 * then holds the burst, as wireguard-go's bounded channels do.
 */
final class DecryptQueue {
    /** Batches in all: one being filled, one being opened, the rest waiting. */
    static final int BATCHES = 4;
    /** How long a receive thread sleeps while every batch is in use. */
    private static final long FULL_WAIT_NANOS = 20_000L;

    /** One receive batch's data messages and where each came from. */
    static final class Batch {
        private final ByteBuffer[] slots = new ByteBuffer[PacketBatch.SIZE];
        final Endpoint[] sources = new Endpoint[PacketBatch.SIZE];
        final TransportBinding[] vias = new TransportBinding[PacketBatch.SIZE];
        int count;
        /** For the one datagram of the batch that is longer than a slot (a peer with a larger MTU); made on first need. */
        private ByteBuffer large;
        private int largeAt = -1;

        Batch(int slotBytes) {
            for (int i = 0; i < slots.length; i++) {
                slots[i] = ByteBuffer.allocateDirect(slotBytes);
            }
        }

        /** The datagram at {@code i}, position to limit. */
        ByteBuffer datagram(int i) {
            return i == largeAt ? large : slots[i];
        }

        /** Copies position to limit of {@code datagram}, leaving it unchanged; false when there is no room. */
        boolean add(ByteBuffer datagram, Endpoint source, TransportBinding via) {
            int length = datagram.remaining();
            if (count == slots.length) {
                return false;
            }
            ByteBuffer to;
            if (length <= slots[count].capacity()) {
                to = slots[count];
            } else if (largeAt < 0 && length <= PacketBuffers.CAPACITY) {
                if (large == null) {
                    large = ByteBuffer.allocateDirect(PacketBuffers.CAPACITY);
                }
                largeAt = count;
                to = large;
            } else {
                return false;
            }
            to.clear();
            to.put(0, datagram, datagram.position(), length);
            to.limit(length);
            sources[count] = source;
            vias[count] = via;
            count++;
            return true;
        }

        void clear() {
            for (int i = 0; i < count; i++) {
                sources[i] = null;
                vias[i] = null;
            }
            count = 0;
            largeAt = -1;
        }
    }

    /** What one receive thread is filling. */
    static final class Filling {
        private Batch batch;
    }

    private final Ring free = new Ring(BATCHES);
    private final Ring waiting = new Ring(BATCHES);
    private volatile Thread decryptor;
    private volatile boolean decryptorParked;
    private volatile boolean closed;

    /** @param slotBytes room for the longest datagram of an MTU-sized packet */
    DecryptQueue(int slotBytes) {
        for (int i = 0; i < BATCHES; i++) {
            free.offer(new Batch(slotBytes));
        }
    }

    /**
     * Copies a datagram into the receive thread's batch, handing the batch over first when it has no room.
     *
     * @return false when the queue is closed (the data plane is stopping): dropped
     */
    boolean offer(Filling f, ByteBuffer datagram, Endpoint source, TransportBinding via) {
        if (f.batch != null && f.batch.add(datagram, source, via)) {
            return true;
        }
        handOver(f);
        f.batch = takeFree();
        return f.batch != null && f.batch.add(datagram, source, via);
    }

    /** Hands the receive thread's batch (if it holds any datagram) to the decryptor. */
    void handOver(Filling f) {
        Batch b = f.batch;
        if (b == null || b.count == 0) {
            return;
        }
        f.batch = null;
        waiting.offer(b);
        if (decryptorParked) {
            LockSupport.unpark(decryptor);
        }
    }

    /** A free batch, waiting while all are in use; null once closed. */
    private Batch takeFree() {
        Batch b;
        while ((b = free.poll()) == null) {
            if (closed) {
                return null;
            }
            LockSupport.parkNanos(FULL_WAIT_NANOS);
        }
        return b;
    }

    /** Called once by the decrypting thread before its first {@link #take}. */
    void decryptorIs(Thread t) {
        decryptor = t;
    }

    /** The oldest handed-over batch, waiting up to {@code timeoutNanos}; null when none came. Decryptor only. */
    Batch take(long timeoutNanos) {
        Batch b = waiting.poll();
        if (b != null) {
            return b;
        }
        decryptorParked = true;
        try {
            b = waiting.poll(); // one handed over before the flag was seen
            if (b == null) {
                LockSupport.parkNanos(this, timeoutNanos);
                b = waiting.poll();
            }
        } finally {
            decryptorParked = false;
        }
        return b;
    }

    /** Whether no batch is waiting now. */
    boolean nothingWaiting() {
        return waiting.isEmpty();
    }

    /** Gives an opened batch back to the receive threads. */
    void recycle(Batch b) {
        b.clear();
        free.offer(b);
    }

    /** Receive threads waiting for a batch give up. */
    void close() {
        closed = true;
    }

    /**
     * A bounded lock-free FIFO (Dmitry Vyukov's bounded MPMC queue): each cell's sequence number says whether it
     * is free to write or ready to read at a given position, so neither side locks or allocates.
     */
    private static final class Ring {
        private final Batch[] cells;
        private final AtomicLongArray sequence;
        private final int mask;
        private final AtomicLong head = new AtomicLong();
        private final AtomicLong tail = new AtomicLong();

        Ring(int capacity) {
            if (Integer.bitCount(capacity) != 1) {
                throw new IllegalArgumentException("ring capacity must be a power of two: " + capacity);
            }
            cells = new Batch[capacity];
            sequence = new AtomicLongArray(capacity);
            mask = capacity - 1;
            for (int i = 0; i < capacity; i++) {
                sequence.set(i, i);
            }
        }

        /** False when full (cannot happen here: a ring holds as many cells as there are batches). */
        boolean offer(Batch b) {
            long pos = tail.get();
            while (true) {
                int i = (int) (pos & mask);
                long diff = sequence.get(i) - pos;
                if (diff == 0) {
                    if (tail.compareAndSet(pos, pos + 1)) {
                        cells[i] = b;
                        sequence.set(i, pos + 1);
                        return true;
                    }
                    pos = tail.get();
                } else if (diff < 0) {
                    return false;
                } else {
                    pos = tail.get();
                }
            }
        }

        Batch poll() {
            long pos = head.get();
            while (true) {
                int i = (int) (pos & mask);
                long diff = sequence.get(i) - (pos + 1);
                if (diff == 0) {
                    if (head.compareAndSet(pos, pos + 1)) {
                        Batch b = cells[i];
                        cells[i] = null;
                        sequence.set(i, pos + mask + 1);
                        return b;
                    }
                    pos = head.get();
                } else if (diff < 0) {
                    return null;
                } else {
                    pos = head.get();
                }
            }
        }

        boolean isEmpty() {
            return head.get() == tail.get();
        }
    }
}
