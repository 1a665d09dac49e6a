package io.tunnelmesh.handshake.internal.noise;

import java.util.function.Supplier;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A Noise cipher function (Noise spec §4.2) used for handshake payloads and the generic CipherState. The hot
 * transport path of WireGuard does not come through here: it uses the PacketCipher service.
 */
public enum NoiseCipher {
    /** Nonce: 4 zero bytes ‖ 64-bit little-endian counter. */
    ChaChaPoly(ChaCha20Poly1305::new, true),
    /** Nonce: 4 zero bytes ‖ 64-bit big-endian counter. */
    AESGCM(() -> GCMBlockCipher.newInstance(AESEngine.newInstance()), false);

    public static final int TAG_LENGTH = 16;

    private final Supplier<AEADCipher> ciphers;
    private final boolean littleEndianNonce;

    NoiseCipher(Supplier<AEADCipher> ciphers, boolean littleEndianNonce) {
        this.ciphers = ciphers;
        this.littleEndianNonce = littleEndianNonce;
    }

    public byte[] encrypt(byte[] key, long nonce, byte[] ad, byte[] plaintext) {
        AEADCipher c = init(true, key, nonce, ad);
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
        return out;
    }

    /** @return the plaintext, or null when {@code ciphertext} is not authentic */
    public byte[] decrypt(byte[] key, long nonce, byte[] ad, byte[] ciphertext, int offset, int length) {
        if (length < TAG_LENGTH) {
            return null;
        }
        AEADCipher c = init(false, key, nonce, ad);
        byte[] out = new byte[length - TAG_LENGTH];
        try {
            int n = c.processBytes(ciphertext, offset, length, out, 0);
            c.doFinal(out, n);
            return out;
        } catch (InvalidCipherTextException e) {
            return null;
        }
    }

    private AEADCipher init(boolean encrypt, byte[] key, long nonce, byte[] ad) {
        AEADCipher c = ciphers.get();
        c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG_LENGTH * 8, nonceBytes(nonce), ad));
        return c;
    }

    private byte[] nonceBytes(long n) {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            int shift = littleEndianNonce ? 8 * i : 8 * (7 - i);
            nonce[4 + i] = (byte) (n >>> shift);
        }
        return nonce;
    }

    public static NoiseCipher named(String name) {
        for (NoiseCipher c : values()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unsupported Noise cipher " + name);
    }
}
