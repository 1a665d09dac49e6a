package io.tunnelmesh.handshake.internal.wireguard;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.XChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/** XChaCha20-Poly1305 for cookie replies (BouncyCastle ≥ 1.85; the JDK has none). */
final class XChaCha {
    private XChaCha() {
    }

    static void seal(byte[] key, byte[] nonce24, byte[] plaintext, byte[] ad, byte[] out, int outOffset) {
        XChaCha20Poly1305 c = new XChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce24, ad));
        int n = c.processBytes(plaintext, 0, plaintext.length, out, outOffset);
        try {
            c.doFinal(out, outOffset + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("encryption cannot fail authentication", e);
        }
    }

    /** @return the plaintext, or null when not authentic */
    static byte[] open(byte[] key, byte[] nonce24, byte[] in, int offset, int length, byte[] ad) {
        XChaCha20Poly1305 c = new XChaCha20Poly1305();
        c.init(false, new AEADParameters(new KeyParameter(key), 128, nonce24, ad));
        byte[] out = new byte[length - 16];
        try {
            int n = c.processBytes(in, offset, length, out, 0);
            c.doFinal(out, n);
            return out;
        } catch (InvalidCipherTextException e) {
            return null;
        }
    }
}
