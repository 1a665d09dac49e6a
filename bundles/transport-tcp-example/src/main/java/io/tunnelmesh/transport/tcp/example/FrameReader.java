package io.tunnelmesh.transport.tcp.example;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Cuts one connection's byte stream back into datagrams. A datagram is handed out only once all its bytes are in, so
 * the node never sees part of one; a length of 0 or over the maximum means the stream is not ours (or not in step any
 * more), and the connection must be closed. The buffer holds one frame of the largest datagram, no more.
 */
final class FrameReader {
    private final ByteBuffer buffer;
    private final int maxDatagram;
    /** Bytes received so far, from index 0. */
    private int filled;
    /** Where the next frame starts. */
    private int next;

    FrameReader(int maxDatagram) {
        this.maxDatagram = maxDatagram;
        this.buffer = ByteBuffer.allocateDirect(Frames.HEADER_BYTES + maxDatagram);
    }

    /** A frame whose length no datagram of ours has; its message says which length and what the maximum is. */
    static final class BadFrame extends IOException {
        BadFrame(String message) {
            super(message);
        }
    }

    /** Reads once from {@code channel} after moving an unfinished frame to the front. @return bytes read, -1 at the end */
    int readFrom(ReadableByteChannel channel) throws IOException {
        buffer.limit(buffer.capacity()); // next() left it at the end of the frame it handed out
        if (next > 0) {
            buffer.put(0, buffer, next, filled - next);
            filled -= next;
            next = 0;
        }
        buffer.position(filled);
        int n = channel.read(buffer);
        if (n > 0) {
            filled += n;
        }
        return n;
    }

    /**
     * The next complete datagram, as this reader's buffer with position and limit around it (valid until the next
     * call), or null until more bytes arrive.
     */
    ByteBuffer next() throws BadFrame {
        if (filled - next < Frames.HEADER_BYTES) {
            return null;
        }
        buffer.limit(filled);
        int length = buffer.getShort(next) & 0xffff;
        if (length == 0 || length > maxDatagram) {
            throw new BadFrame("frame of " + length + " bytes (allowed: 1-" + maxDatagram + ")");
        }
        int start = next + Frames.HEADER_BYTES;
        if (filled - start < length) {
            return null;
        }
        next = start + length;
        return buffer.limit(next).position(start);
    }
}
