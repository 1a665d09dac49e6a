package io.tunnelmesh.handshake.internal.wireguard;

/**
 * Layout of the 148-byte handshake initiation: type, sender index, then the 108-byte Noise message 1
 * (ephemeral 32, encrypted static 48, encrypted timestamp 28), mac1 and mac2.
 */
public final class HandshakeInitiation {
    public static final int LENGTH = 148;
    public static final int SENDER_INDEX = 4;
    public static final int NOISE = 8;
    public static final int NOISE_LENGTH = 108;
    public static final int MAC1 = 116;
    public static final int MAC2 = 132;

    private HandshakeInitiation() {
    }

    /** A new message with type, sender index and Noise part set; the macs are zero until added. */
    public static byte[] assemble(int senderIndex, byte[] noiseMessage) {
        if (noiseMessage.length != NOISE_LENGTH) {
            throw new IllegalArgumentException("Noise message 1 must be " + NOISE_LENGTH + " bytes, got " + noiseMessage.length);
        }
        byte[] msg = new byte[LENGTH];
        MessageType.writeLe32(msg, 0, MessageType.INITIATION);
        MessageType.writeLe32(msg, SENDER_INDEX, senderIndex);
        System.arraycopy(noiseMessage, 0, msg, NOISE, NOISE_LENGTH);
        return msg;
    }

    public static int senderIndex(byte[] msg) {
        return MessageType.readLe32(msg, SENDER_INDEX);
    }
}
