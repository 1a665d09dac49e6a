package io.tunnelmesh.handshake.internal.wireguard;

import java.nio.charset.StandardCharsets;

/**
 * The two keys derived from one static public key: HASH("mac1----" ‖ pub) keys mac1 of messages sent to that
 * key's owner; HASH("cookie--" ‖ pub) encrypts cookie replies that owner sends.
 */
public record MacKeys(byte[] mac1Key, byte[] cookieKey) {
    private static final byte[] LABEL_MAC1 = "mac1----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LABEL_COOKIE = "cookie--".getBytes(StandardCharsets.US_ASCII);

    public static MacKeys of(byte[] staticPublicKey) {
        return new MacKeys(Blake2s.hash(LABEL_MAC1, staticPublicKey), Blake2s.hash(LABEL_COOKIE, staticPublicKey));
    }

    /** Offset of mac1 in a handshake message of this length (mac1 and mac2 are its last 32 bytes). */
    public static int mac1Offset(int messageLength) {
        return messageLength - 2 * Blake2s.MAC_LENGTH;
    }

    public static int mac2Offset(int messageLength) {
        return messageLength - Blake2s.MAC_LENGTH;
    }
}
