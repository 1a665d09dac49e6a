package io.tunnelmesh.control.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tunnelmesh.control.RelayFrames;

/**
 * Splits a relay link's byte stream into whole frames where they lie: a frame inside one read is handed on as its
 * place in that read buffer, so a relay forwards and a node decrypts the bytes the socket read, with no copy. Only a
 * frame cut by the end of a read is copied, into a small buffer completed from the next read (one frame per read,
 * not every byte as a cumulating decoder copies them). Used on the relay link's event loop, one per link.
 */
public final class RelayFrameSplitter {
    /** Receives the frames of one read, in order. */
    public interface Frames {
        /**
         * One whole frame, header included: {@code size} bytes at {@code at} in {@code buffer}. The buffer is valid
         * during the call only, unless retained; it is the read buffer itself or, for a frame cut by a read, a copy.
         */
        void frame(ByteBuf buffer, int at, int size);
    }

    private final ByteBufAllocator alloc;
    /** The start of a frame cut by the end of the last read, or null. */
    private ByteBuf carry;

    public RelayFrameSplitter(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * Hands every whole frame of {@code in} (after any cut frame from before) to {@code frames}, and keeps the bytes
     * of a frame cut at its end. Consumes {@code in} but does not release it.
     *
     * @return false when a frame announces a payload longer than {@link RelayFrames#MAX_PAYLOAD}: the link must close
     */
    public boolean split(ByteBuf in, Frames frames) {
        if (carry != null && !completeCarry(in, frames)) {
            return false;
        }
        int cut = RelayFrames.HEADER; // the size of a frame cut by the end of this read, as far as known
        while (in.readableBytes() >= RelayFrames.LENGTH_FIELD) {
            int at = in.readerIndex();
            int size = frameSize(in, at);
            if (size < 0) {
                return false;
            }
            if (in.readableBytes() < size) {
                cut = size;
                break;
            }
            in.skipBytes(size);
            frames.frame(in, at, size);
        }
        if (in.isReadable()) {
            carry = alloc.directBuffer(cut, RelayFrames.HEADER + RelayFrames.MAX_PAYLOAD);
            carry.writeBytes(in);
        }
        return true;
    }

    /** Adds to the cut frame from {@code in}; hands it on once whole. False for a frame announcing too long a payload. */
    private boolean completeCarry(ByteBuf in, Frames frames) {
        if (carry.readableBytes() < RelayFrames.LENGTH_FIELD) {
            carry.writeBytes(in, Math.min(RelayFrames.LENGTH_FIELD - carry.readableBytes(), in.readableBytes()));
            if (carry.readableBytes() < RelayFrames.LENGTH_FIELD) {
                return true;
            }
        }
        int size = frameSize(carry, carry.readerIndex());
        if (size < 0) {
            return false;
        }
        carry.writeBytes(in, Math.min(size - carry.readableBytes(), in.readableBytes()));
        if (carry.readableBytes() == size) {
            ByteBuf whole = carry;
            carry = null;
            try {
                frames.frame(whole, whole.readerIndex(), size);
            } finally {
                whole.release();
            }
        }
        return true;
    }

    /** The whole size of the frame at {@code at}, header included; -1 when its announced length is out of bounds. */
    private static int frameSize(ByteBuf buffer, int at) {
        int length = buffer.getInt(at);
        return length < 0 || length > RelayFrames.MAX_PAYLOAD ? -1 : RelayFrames.HEADER + length;
    }

    /** The link is gone: frees a cut frame's bytes. */
    public void release() {
        if (carry != null) {
            carry.release();
            carry = null;
        }
    }
}
