package io.tunnelmesh.handshake.internal.wireguard;

/**
 * Layout of the 92-byte handshake response: type, sender index (responder's), receiver index (initiator's),
 * the 48-byte Noise message 2 (ephemeral 32, encrypted empty payload 16), mac1 and mac2.
 */
public final class HandshakeResponse {
    public static final int LENGTH = 92;
    public static final int SENDER_INDEX = 4;
    public static final int RECEIVER_INDEX = 8;
    public static final int NOISE = 12;
    public static final int NOISE_LENGTH = 48;
    public static final int MAC1 = 60;
    public static final int MAC2 = 76;

    private HandshakeResponse() {
    }

    public static byte[] assemble(int senderIndex, int receiverIndex, byte[] noiseMessage) {
        if (noiseMessage.length != NOISE_LENGTH) {
            throw new IllegalArgumentException("Noise message 2 must be " + NOISE_LENGTH + " bytes, got " + noiseMessage.length);
        }
        byte[] msg = new byte[LENGTH];
        MessageType.writeLe32(msg, 0, MessageType.RESPONSE);
        MessageType.writeLe32(msg, SENDER_INDEX, senderIndex);
        MessageType.writeLe32(msg, RECEIVER_INDEX, receiverIndex);
        System.arraycopy(noiseMessage, 0, msg, NOISE, NOISE_LENGTH);
        return msg;
    }

    public static int senderIndex(byte[] msg) {
        return MessageType.readLe32(msg, SENDER_INDEX);
    }

    public static int receiverIndex(byte[] msg) {
        return MessageType.readLe32(msg, RECEIVER_INDEX);
    }
}
