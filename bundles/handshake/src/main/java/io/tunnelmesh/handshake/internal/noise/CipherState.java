package io.tunnelmesh.handshake.internal.noise;

import java.util.Arrays;

/** Noise CipherState (spec §5.1): a key, or none, and a 64-bit nonce counter. */
public final class CipherState {
    private final NoiseCipher cipher;
    private byte[] key;
    private long nonce;

    CipherState(NoiseCipher cipher) {
        this.cipher = cipher;
    }

    void initializeKey(byte[] k) {
        wipe();
        key = k;
        nonce = 0;
    }

    public boolean hasKey() {
        return key != null;
    }

    /** A copy of the key, e.g. to hand the transport key to the packet cipher. */
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NoiseException {
        if (key == null) {
            return plaintext.clone();
        }
        checkNonce();
        return cipher.encrypt(key, nonce++, ad, plaintext);
    }

    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext, int offset, int length) throws NoiseException {
        if (key == null) {
            return Arrays.copyOfRange(ciphertext, offset, offset + length);
        }
        checkNonce();
        byte[] plain = cipher.decrypt(key, nonce, ad, ciphertext, offset, length);
        if (plain == null) {
            throw new NoiseException("message failed authentication");
        }
        nonce++;
        return plain;
    }

    private void checkNonce() throws NoiseException {
        // 2^64-1 is reserved by the spec; reaching it means the session is exhausted.
        if (nonce == -1L) {
            throw new NoiseException("nonce space exhausted");
        }
    }

    public void wipe() {
        if (key != null) {
            Arrays.fill(key, (byte) 0);
            key = null;
        }
    }
}
