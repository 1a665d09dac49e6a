package io.tunnelmesh.transport.relay.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tunnelmesh.control.RelayFrames;
import java.nio.ByteBuffer;

/**
 * The frames the node sent on one relay link and the I/O thread has not taken yet: a pooled buffer bounded by the
 * queue size, appended to under this object's lock from any thread and handed whole to the I/O thread, which writes
 * it while the socket takes it. At most one write task is pending at a time.
 */
final class RelaySendQueue {
    private final int queueBytes;

    // guarded by this
    private ByteBuf queue;
    private boolean writeScheduled;
    private boolean closed;

    RelaySendQueue(int queueBytes) {
        this.queueBytes = queueBytes;
    }

    /** Appends one data frame; false (dropped) when the queue is full or closed. Any thread. */
    boolean append(ByteBuffer datagram, RelayEndpoint to) {
        int length = datagram.remaining();
        if (length > RelayFrames.MAX_PAYLOAD) {
            return false;
        }
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue == null) {
                queue = PooledByteBufAllocator.DEFAULT.directBuffer(Math.min(64 << 10, queueBytes), queueBytes);
            }
            if (queue.readableBytes() + RelayFrames.HEADER + length > queueBytes) {
                return false;
            }
            queue.writeInt(length);
            queue.writeByte(RelayFrames.DATA);
            to.writePeerKey(queue);
            int position = datagram.position();
            queue.writeBytes(datagram);
            datagram.position(position);
        }
        return true;
    }

    /** True when the caller must post a write task: something is queued and no task is pending. Any thread. */
    synchronized boolean scheduleWrite() {
        if (queue == null || writeScheduled || closed) {
            return false;
        }
        writeScheduled = true;
        return true;
    }

    /** I/O thread: the queued frames to write, or null (none, or the link cannot take them now); ends a pending task. */
    synchronized ByteBuf take(boolean linkReady) {
        writeScheduled = false;
        if (queue == null || !linkReady) {
            return null;
        }
        ByteBuf out = queue;
        queue = null;
        return out;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Frees what is queued; every later append drops. */
    synchronized void close() {
        closed = true;
        if (queue != null) {
            queue.release();
            queue = null;
        }
    }
}
