package io.tunnelmesh.api;

import java.util.Arrays;
import java.util.Base64;

/**
 * The mesh's 32-byte pre-shared key: the psk of Noise IKpsk2, mixed into handshake message 2 for every pair
 * of nodes in one mesh. A node holding a valid key pair but another mesh's psk never completes a handshake.
 * {@link #toString()} never prints the key.
 */
public final class PresharedKey {
    private static final PresharedKey NONE = new PresharedKey(new byte[Key32.LENGTH]);
    private final byte[] bytes;

    private PresharedKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** All zero bytes: what WireGuard uses when no pre-shared key is configured. */
    public static PresharedKey none() {
        return NONE;
    }

    public static PresharedKey of(byte[] raw) {
        return new PresharedKey(Key32.check(raw, "pre-shared key"));
    }

    /** Parses the base64 form `wg genpsk` writes. */
    public static PresharedKey parse(String text) {
        return new PresharedKey(Key32.fromBase64(text, "pre-shared key"));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public boolean isNone() {
        return Key32.isZero(bytes);
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PresharedKey k && java.security.MessageDigest.isEqual(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return isNone() ? "(none)" : "(hidden)";
    }
}
