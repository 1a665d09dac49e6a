package io.tunnelmesh.stun;

import java.nio.ByteBuffer;

/**
 * The STUN header (RFC 8489 §5) and how to tell a STUN message from a WireGuard one on the same socket.
 *
 * <p>A WireGuard message starts with its type 1-4 as a little-endian 32-bit number: byte 0 is 1-4 and bytes
 * 1-3 are zero. A STUN Binding message starts with its 16-bit type 0x0001 (request), 0x0101 (success) or
 * 0x0111 (error), so byte 1 is never zero; and every STUN message has the top two bits of byte 0 clear, the
 * magic cookie 0x2112A442 at byte 4, and a length that is a multiple of 4 and matches the datagram. A receiver
 * that checks {@link #isWireGuard} first and then {@link #isStun} never confuses the two.
 */
public final class Stun {
    public static final int HEADER_LENGTH = 20;
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    /** The default port of a STUN server (RFC 8489 §9). */
    public static final int DEFAULT_PORT = 3478;

    private Stun() {
    }

    /** Byte 0 is a WireGuard message type (1-4) and bytes 1-3 are zero. */
    public static boolean isWireGuard(ByteBuffer datagram) {
        int start = datagram.position();
        return datagram.remaining() >= 4 && (datagram.getInt(start) & 0x00FFFFFF) == 0
                && datagram.get(start) >= 1 && datagram.get(start) <= 4;
    }

    /**
     * The bytes from position to limit are one STUN message: header present, top two bits zero, magic cookie,
     * a length that is a multiple of 4 and equals the rest of the datagram. Reads without moving the position.
     */
    public static boolean isStun(ByteBuffer datagram) {
        int start = datagram.position();
        int size = datagram.remaining();
        if (size < HEADER_LENGTH || (datagram.get(start) & 0xC0) != 0 || datagram.getInt(start + 4) != MAGIC_COOKIE) {
            return false;
        }
        int length = datagram.getShort(start + 2) & 0xFFFF;
        return (length & 3) == 0 && length == size - HEADER_LENGTH;
    }

    static int type(ByteBuffer message) {
        return message.getShort(message.position()) & 0xFFFF;
    }
}
