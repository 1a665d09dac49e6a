package io.tunnelmesh.api.cipher;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The AEAD that protects transport data: ChaCha20-Poly1305 with WireGuard's nonce layout (4 zero bytes ‖
 * 64-bit little-endian counter). A service so that the fastest implementation on this JVM can be chosen
 * and swapped while the node runs; the handshake engine asks it for one {@link TransportKey} per session
 * direction.
 */
@ProviderType
public interface PacketCipher {
    /** Implementation name for status output, e.g. {@code chacha20-poly1305}. */
    String name();

    /**
     * A key ready for sealing or opening. The 32 key bytes are copied; the caller wipes its own copy.
     */
    TransportKey newKey(byte[] key32);
}
