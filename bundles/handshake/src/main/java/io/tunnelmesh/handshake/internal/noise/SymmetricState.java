package io.tunnelmesh.handshake.internal.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Noise SymmetricState (spec §5.2): chaining key {@code ck}, handshake hash {@code h} and a CipherState. */
public final class SymmetricState {
    private final NoiseHash hash;
    private final NoiseCipher cipher;
    private final CipherState cipherState;
    private byte[] ck;
    private byte[] h;

    public SymmetricState(String protocolName, NoiseHash hash, NoiseCipher cipher) {
        this.hash = hash;
        this.cipher = cipher;
        this.cipherState = new CipherState(cipher);
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= hash.hashLen() ? Arrays.copyOf(name, hash.hashLen()) : hash.hash(name);
        ck = h.clone();
    }

    public NoiseHash hash() {
        return hash;
    }

    public void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = hash.hkdf(ck, inputKeyMaterial, 2);
        wipe(ck);
        ck = out[0];
        cipherState.initializeKey(truncateKey(out[1]));
    }

    public void mixHash(byte[] data) {
        h = hash.hash(h, data);
    }

    public void mixKeyAndHash(byte[] inputKeyMaterial) {
        byte[][] out = hash.hkdf(ck, inputKeyMaterial, 3);
        wipe(ck);
        ck = out[0];
        mixHash(out[1]);
        cipherState.initializeKey(truncateKey(out[2]));
    }

    boolean hasKey() {
        return cipherState.hasKey();
    }

    public byte[] handshakeHash() {
        return h.clone();
    }

    public byte[] chainingKey() {
        return ck.clone();
    }

    public byte[] encryptAndHash(byte[] plaintext) throws NoiseException {
        byte[] ciphertext = cipherState.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    public byte[] decryptAndHash(byte[] message, int offset, int length) throws NoiseException {
        byte[] plaintext = cipherState.decryptWithAd(h, message, offset, length);
        mixHash(Arrays.copyOfRange(message, offset, offset + length));
        return plaintext;
    }

    /** The two transport CipherStates: [0] initiator→responder, [1] responder→initiator. */
    public CipherState[] split() {
        byte[][] out = hash.hkdf(ck, new byte[0], 2);
        CipherState c1 = new CipherState(cipher);
        CipherState c2 = new CipherState(cipher);
        c1.initializeKey(truncateKey(out[0]));
        c2.initializeKey(truncateKey(out[1]));
        return new CipherState[] {c1, c2};
    }

    /** Wipes ck, h and the handshake key once the handshake is over. */
    public void wipe() {
        wipe(ck);
        wipe(h);
        cipherState.wipe();
    }

    private static byte[] truncateKey(byte[] k) {
        if (k.length == 32) {
            return k;
        }
        byte[] key = Arrays.copyOf(k, 32);
        wipe(k);
        return key;
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
