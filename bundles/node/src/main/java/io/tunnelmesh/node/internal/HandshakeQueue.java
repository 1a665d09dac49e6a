package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.Endpoint;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Handshake messages on their way from the transports' receive threads to the {@link HandshakeWorker}: a fixed
 * set of preallocated slots, so queueing allocates nothing and a full queue drops the message at once. A flood
 * of initiations therefore costs the receive path one small copy each and never a wait, and how many are
 * waiting is what tells the worker the node is under load (wireguard-go's handshake queue, 1/8 full).
 */
final class HandshakeQueue {
    /** wireguard-go's QueueHandshakeSize. */
    static final int CAPACITY = 1024;
    /** The longest handshake message (an initiation) is 148 bytes; longer ones are malformed anyway. */
    static final int SLOT_BYTES = 256;

    /** One queued message and where it came from; reused. */
    static final class Message {
        final ByteBuffer bytes = ByteBuffer.allocate(SLOT_BYTES);
        Endpoint source;
        TransportBinding via;
    }

    private final ArrayBlockingQueue<Message> free = new ArrayBlockingQueue<>(CAPACITY);
    private final ArrayBlockingQueue<Message> waiting = new ArrayBlockingQueue<>(CAPACITY);

    HandshakeQueue() {
        for (int i = 0; i < CAPACITY; i++) {
            free.add(new Message());
        }
    }

    /**
     * Copies {@code datagram} (position to limit, unchanged) into a free slot. Never blocks.
     *
     * @return false when the queue is full or the message cannot be a handshake (too long): dropped
     */
    boolean offer(ByteBuffer datagram, Endpoint source, TransportBinding via) {
        if (datagram.remaining() > SLOT_BYTES) {
            return false;
        }
        Message m = free.poll();
        if (m == null) {
            return false;
        }
        m.bytes.clear();
        m.bytes.put(datagram.duplicate()).flip();
        m.source = source;
        m.via = via;
        waiting.add(m);
        return true;
    }

    /** The oldest waiting message, waiting up to {@code timeoutNanos}; null when none came. */
    Message poll(long timeoutNanos) throws InterruptedException {
        return waiting.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Gives a message's slot back once it has been handled. */
    void release(Message m) {
        m.source = null;
        m.via = null;
        free.add(m);
    }

    /** Messages waiting now. */
    int length() {
        return waiting.size();
    }
}
