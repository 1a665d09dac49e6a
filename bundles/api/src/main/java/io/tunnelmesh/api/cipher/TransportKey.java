package io.tunnelmesh.api.cipher;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One direction's session key. Safe to use from several threads at once (each thread gets its own cipher
 * state internally). Never allocates per call and never throws for a bad packet: a failed open returns -1.
 */
@ProviderType
public interface TransportKey {
    /** Authentication tag length appended by {@link #seal}. */
    int TAG_LENGTH = 16;

    /**
     * Encrypts {@code plaintext} (position to limit) with nonce {@code counter} and writes ciphertext ‖ tag at
     * {@code out}'s position. Both buffers' positions advance. The buffers may be heap or direct.
     *
     * @return bytes written (plaintext length + 16)
     */
    int seal(long counter, ByteBuffer plaintext, ByteBuffer out);

    /**
     * Like {@link #seal(long, ByteBuffer, ByteBuffer)} but encrypts {@code plaintext} followed by
     * {@code zeroPadding} zero bytes, so a sender can pad (WireGuard pads to 16) without first copying the
     * packet. Implementations override this to avoid the copy the default makes.
     *
     * @return bytes written (plaintext length + zeroPadding + 16)
     */
    default int seal(long counter, ByteBuffer plaintext, int zeroPadding, ByteBuffer out) {
        if (zeroPadding == 0) {
            return seal(counter, plaintext, out);
        }
        ByteBuffer padded = ByteBuffer.allocate(plaintext.remaining() + zeroPadding);
        padded.put(plaintext).position(0);
        return seal(counter, padded, out);
    }

    /**
     * Authenticates and decrypts {@code ciphertext} (position to limit, tag included) into {@code out}.
     *
     * @return plaintext length, or -1 when the packet is not authentic (nothing is written in that case
     *         that a caller may use)
     */
    int open(long counter, ByteBuffer ciphertext, ByteBuffer out);

    /** Wipes the key; later calls fail by returning -1 (open) or throwing IllegalStateException (seal). */
    void destroy();
}
