package io.tunnelmesh.transport.tcp.example;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The frames waiting for one connection's socket. Any thread appends whole frames to {@code filling} under the lock
 * (a copy, nothing else); the I/O thread swaps it for the empty {@code draining} buffer and writes that without the
 * lock. Bounded: a frame that does not fit is refused, so a slow or stalled peer loses its own datagrams and never
 * blocks the node's threads. Frames go in whole, so the stream never carries part of one except when it breaks.
 */
final class Outbox {
    /** Write mode; guarded by this. */
    private ByteBuffer filling;
    /** Read mode; the I/O thread's alone. */
    private ByteBuffer draining;

    Outbox(int capacity) {
        filling = ByteBuffer.allocateDirect(capacity);
        draining = ByteBuffer.allocateDirect(capacity).flip();
    }

    /** Copies {@code datagram} (position to limit, left unchanged) as one frame; false when it does not fit. */
    synchronized boolean offer(ByteBuffer datagram) {
        int length = datagram.remaining();
        if (filling.remaining() < Frames.HEADER_BYTES + length) {
            return false;
        }
        filling.putShort((short) length);
        filling.put(filling.position(), datagram, datagram.position(), length);
        filling.position(filling.position() + length);
        return true;
    }

    /** I/O thread: writes as much as the socket takes. @return true when nothing is left to write */
    boolean writeTo(SocketChannel channel) throws IOException {
        while (draining.hasRemaining() || swap()) {
            channel.write(draining);
            if (draining.hasRemaining()) {
                return false; // the socket's buffer is full: wait until it is writable
            }
        }
        return true;
    }

    private synchronized boolean swap() {
        if (filling.position() == 0) {
            return false;
        }
        ByteBuffer written = draining.clear();
        draining = filling.flip();
        filling = written;
        return true;
    }
}
