package io.tunnelmesh.handshake.internal.wireguard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 16-byte header of a transport data message: type 4, the receiving peer's index, and the 64-bit
 * little-endian counter that is also the AEAD nonce. Absolute-index access that honours whatever byte order
 * the caller's buffer has without changing it, and allocates nothing.
 */
public final class TransportHeader {
    public static final int LENGTH = 16;
    public static final int RECEIVER_INDEX = 4;
    public static final int COUNTER = 8;
    /** Header + tag: an empty payload (a keepalive). */
    public static final int MIN_MESSAGE = LENGTH + 16;

    private TransportHeader() {
    }

    public static int readLe32(ByteBuffer b, int at) {
        int v = b.getInt(at);
        return b.order() == ByteOrder.LITTLE_ENDIAN ? v : Integer.reverseBytes(v);
    }

    public static int receiverIndex(ByteBuffer b, int at) {
        return readLe32(b, at + RECEIVER_INDEX);
    }

    public static long counter(ByteBuffer b, int at) {
        long v = b.getLong(at + COUNTER);
        return b.order() == ByteOrder.LITTLE_ENDIAN ? v : Long.reverseBytes(v);
    }

    public static void write(ByteBuffer b, int at, int receiverIndex, long counter) {
        boolean le = b.order() == ByteOrder.LITTLE_ENDIAN;
        b.putInt(at, le ? MessageType.TRANSPORT : Integer.reverseBytes(MessageType.TRANSPORT));
        b.putInt(at + RECEIVER_INDEX, le ? receiverIndex : Integer.reverseBytes(receiverIndex));
        b.putLong(at + COUNTER, le ? counter : Long.reverseBytes(counter));
    }
}
