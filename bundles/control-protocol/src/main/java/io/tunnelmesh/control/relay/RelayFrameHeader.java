package io.tunnelmesh.control.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.tunnelmesh.control.RelayFrames;

/**
 * The header of a relay frame ({@link RelayFrames}), read and written here for both the node and the server, on
 * frames as they lie in a buffer ({@link RelayFrameSplitter}): {@code size} bytes at {@code at}, header included.
 */
public final class RelayFrameHeader {
    private RelayFrameHeader() {
    }

    /** The type of the frame at {@code at}. */
    public static byte type(ByteBuf frame, int at) {
        return frame.getByte(at + RelayFrames.LENGTH_FIELD);
    }

    /** Writes a header with an all-zero key: for a frame between the node and the server themselves (handshake, ping). */
    public static ByteBuf writeUnaddressed(ByteBuf out, byte type, int payloadLength) {
        return out.writeInt(payloadLength).writeByte(type).writeZero(RelayFrames.KEY_LENGTH);
    }

    /** The answer to the ping at {@code at}: the same bytes, a retained view with the type changed in place, not a copy. */
    public static ByteBuf pong(ByteBuf frame, int at, int size) {
        ByteBuf pong = frame.retainedSlice(at, size);
        pong.setByte(RelayFrames.LENGTH_FIELD, RelayFrames.PONG);
        return pong;
    }

    /** A copy of the payload of the frame at {@code at}: for the handshake only, data frames are used where they lie. */
    public static byte[] copyPayload(ByteBuf frame, int at, int size) {
        return ByteBufUtil.getBytes(frame, at + RelayFrames.HEADER, size - RelayFrames.HEADER);
    }
}
