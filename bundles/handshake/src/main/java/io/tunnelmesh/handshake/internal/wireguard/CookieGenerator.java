package io.tunnelmesh.handshake.internal.wireguard;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Sender side of mac1/mac2 for one peer: adds mac1 (keyed by the peer's public key) to every handshake message
 * we send, adds mac2 while we hold a cookie the peer gave us less than {@link #COOKIE_LIFETIME_NANOS} ago, and
 * accepts that peer's cookie replies. Thread-safe.
 */
public final class CookieGenerator {
    public static final long COOKIE_LIFETIME_NANOS = 120_000_000_000L;

    private final MacKeys peerKeys;
    private byte[] lastMac1;
    private byte[] cookie;
    private long cookieSetNanos;

    public CookieGenerator(byte[] peerStaticPublic) {
        this.peerKeys = MacKeys.of(peerStaticPublic);
    }

    /** Fills the mac1 and mac2 fields (the last 32 bytes) of an outgoing handshake message. */
    public synchronized void addMacs(byte[] message, long nowNanos) {
        int mac1 = MacKeys.mac1Offset(message.length);
        int mac2 = MacKeys.mac2Offset(message.length);
        Blake2s.mac(peerKeys.mac1Key(), message, 0, mac1, message, mac1);
        lastMac1 = Arrays.copyOfRange(message, mac1, mac2);
        if (cookie != null && nowNanos - cookieSetNanos < COOKIE_LIFETIME_NANOS) {
            Blake2s.mac(cookie, message, 0, mac2, message, mac2);
        } else {
            Arrays.fill(message, mac2, message.length, (byte) 0);
        }
    }

    /**
     * Takes a cookie reply answering our latest handshake message. No retransmission follows: the normal
     * retransmit timer resends, now with mac2.
     *
     * @return whether it decrypted (with our last mac1 as associated data)
     */
    public synchronized boolean consumeCookieReply(byte[] reply, long nowNanos) {
        if (lastMac1 == null) {
            return false;
        }
        byte[] nonce = Arrays.copyOfRange(reply, CookieReply.NONCE, CookieReply.NONCE + CookieReply.NONCE_LENGTH);
        byte[] value = XChaCha.open(peerKeys.cookieKey(), nonce, reply, CookieReply.COOKIE, CookieReply.COOKIE_LENGTH, lastMac1);
        if (value == null) {
            return false;
        }
        cookie = value;
        cookieSetNanos = nowNanos;
        lastMac1 = null;
        return true;
    }

    /** Whether mac1 of {@code message} is right for the peer whose key this generator holds. */
    static boolean mac1Valid(byte[] mac1Key, byte[] message) {
        int mac1 = MacKeys.mac1Offset(message.length);
        byte[] expected = Blake2s.mac(mac1Key, message, 0, mac1);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(message, mac1, mac1 + Blake2s.MAC_LENGTH));
    }
}
