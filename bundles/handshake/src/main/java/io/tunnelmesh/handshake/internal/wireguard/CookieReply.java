package io.tunnelmesh.handshake.internal.wireguard;

/** Layout of the 64-byte cookie reply: type, receiver index, 24-byte nonce, encrypted 16-byte cookie + tag. */
public final class CookieReply {
    public static final int LENGTH = 64;
    public static final int RECEIVER_INDEX = 4;
    public static final int NONCE = 8;
    public static final int NONCE_LENGTH = 24;
    public static final int COOKIE = 32;
    public static final int COOKIE_LENGTH = 32;

    private CookieReply() {
    }

    public static int receiverIndex(byte[] msg) {
        return MessageType.readLe32(msg, RECEIVER_INDEX);
    }
}
