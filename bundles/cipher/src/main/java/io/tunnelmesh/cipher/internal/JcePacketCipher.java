package io.tunnelmesh.cipher.internal;

import io.tunnelmesh.api.cipher.PacketCipher;
import io.tunnelmesh.api.cipher.TransportKey;
import org.osgi.service.component.annotations.Component;

/**
 * Transport AEAD backed by the JDK's "ChaCha20-Poly1305". Chosen because it was measured on JDK 25 at
 * 1.48 GB/s on 1420-byte packets against 0.40 GB/s for BouncyCastle's ChaCha20Poly1305 (issue 3).
 *
 * <p>One {@link javax.crypto.Cipher} per thread, shared by every key that thread uses, so a rekey does not
 * create ciphers and a thread never contends with another.
 */
@Component(service = PacketCipher.class)
public final class JcePacketCipher implements PacketCipher {
    static final String NAME = "jce-chacha20-poly1305";

    private final ThreadLocal<CipherSlot> slots = ThreadLocal.withInitial(CipherSlot::new);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public TransportKey newKey(byte[] key32) {
        return new JceTransportKey(key32, slots);
    }
}
