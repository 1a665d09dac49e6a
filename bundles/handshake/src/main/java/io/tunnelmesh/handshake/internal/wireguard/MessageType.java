package io.tunnelmesh.handshake.internal.wireguard;

/**
 * WireGuard's four message types. The first 4 bytes of every message are the type as a little-endian u32, so a
 * message with non-zero reserved bytes has no known type.
 */
public final class MessageType {
    public static final int INITIATION = 1;
    public static final int RESPONSE = 2;
    public static final int COOKIE_REPLY = 3;
    public static final int TRANSPORT = 4;

    private MessageType() {
    }

    public static int readLe32(byte[] b, int offset) {
        return (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8 | (b[offset + 2] & 0xff) << 16 | (b[offset + 3] & 0xff) << 24;
    }

    public static void writeLe32(byte[] b, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            b[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
