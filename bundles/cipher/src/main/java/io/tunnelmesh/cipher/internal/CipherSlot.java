package io.tunnelmesh.cipher.internal;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * One thread's reusable ciphers (the JCE's and the scalar one for small packets) plus the scratch bytes for
 * WireGuard's nonce (4 zero bytes ‖ 64-bit little-endian counter). Confined to its thread, so nothing here is
 * synchronised.
 */
final class CipherSlot {
    static final String TRANSFORMATION = "ChaCha20-Poly1305";
    static final int NONCE_LENGTH = 12;

    final Cipher cipher;
    final ScalarChaCha20Poly1305 scalar = new ScalarChaCha20Poly1305();
    final byte[] nonce = new byte[NONCE_LENGTH];
    /** Staging for direct buffers, grown on demand: the JCE's own ByteBuffer path allocates per call. */
    private byte[] scratch = new byte[2048];

    CipherSlot() {
        try {
            cipher = Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            // Every JDK since 11 ships it; a JVM without it cannot run the node at all.
            throw new IllegalStateException("this JVM has no " + TRANSFORMATION + " cipher; use a JDK 25 runtime", e);
        }
    }

    byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        return scratch;
    }

    /** Writes the counter into bytes 4..11 little-endian; bytes 0..3 stay zero. */
    byte[] nonceFor(long counter) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        return nonce;
    }
}
