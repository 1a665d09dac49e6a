package io.tunnelmesh.handshake.internal.wireguard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Receiver side of mac1/mac2 for the local node: checks mac1 of every incoming handshake message (keyed by our
 * own public key), and under load checks mac2 against the cookie of the message's source address, or makes the
 * cookie reply that tells the sender which cookie to use. The cookie secret changes every 2 minutes.
 * Thread-safe.
 */
public final class CookieChecker {
    static final long SECRET_LIFETIME_NANOS = 120_000_000_000L;

    private final MacKeys ownKeys;
    private final SecureRandom random;
    private final byte[] secret = new byte[32];
    private long secretSetNanos;
    private boolean secretValid;

    public CookieChecker(byte[] ownStaticPublic, SecureRandom random) {
        this.ownKeys = MacKeys.of(ownStaticPublic);
        this.random = random;
    }

    public boolean mac1Valid(byte[] message) {
        return CookieGenerator.mac1Valid(ownKeys.mac1Key(), message);
    }

    /** @param source what the sender's endpoint binds cookies to (Endpoint.dstToBytes: for UDP its address bytes, then the port big-endian) */
    public synchronized boolean mac2Valid(byte[] message, byte[] source, long nowNanos) {
        if (!secretValid || nowNanos - secretSetNanos >= SECRET_LIFETIME_NANOS) {
            return false;
        }
        int mac2 = MacKeys.mac2Offset(message.length);
        byte[] expected = Blake2s.mac(cookie(source), message, 0, mac2);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(message, mac2, message.length));
    }

    /** The 64-byte reply to {@code message} (whose mac1 was valid), addressed to its sender index. */
    public synchronized byte[] createReply(byte[] message, int receiverIndex, byte[] source, long nowNanos) {
        if (!secretValid || nowNanos - secretSetNanos >= SECRET_LIFETIME_NANOS) {
            random.nextBytes(secret);
            secretSetNanos = nowNanos;
            secretValid = true;
        }
        byte[] reply = new byte[CookieReply.LENGTH];
        MessageType.writeLe32(reply, 0, MessageType.COOKIE_REPLY);
        MessageType.writeLe32(reply, CookieReply.RECEIVER_INDEX, receiverIndex);
        byte[] nonce = new byte[CookieReply.NONCE_LENGTH];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, reply, CookieReply.NONCE, nonce.length);
        int mac1 = MacKeys.mac1Offset(message.length);
        byte[] ad = Arrays.copyOfRange(message, mac1, mac1 + Blake2s.MAC_LENGTH);
        XChaCha.seal(ownKeys.cookieKey(), nonce, cookie(source), ad, reply, CookieReply.COOKIE);
        return reply;
    }

    private byte[] cookie(byte[] source) {
        return Blake2s.mac(secret, source, 0, source.length);
    }
}
