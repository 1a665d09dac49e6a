package io.tunnelmesh.handshake.internal.noise;

import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * A Noise hash function with its HMAC and HKDF (Noise spec §4.3). BouncyCastle digests throughout: the JDK has
 * no BLAKE2, and one code path for all four hashes keeps HMAC/HKDF identical for each.
 */
public enum NoiseHash {
    SHA256(SHA256Digest::new, 32, 64),
    SHA512(SHA512Digest::new, 64, 128),
    BLAKE2s(Blake2sDigest::new, 32, 64),
    BLAKE2b(Blake2bDigest::new, 64, 128);

    private final int hashLen;
    private final int blockLen;
    /**
     * One digest and one HMAC per thread, reset on each use: a handshake runs about 50 HMACs, and building
     * the BouncyCastle objects each time cost more than the hashing (measured in HandshakeBenchmark).
     */
    private final ThreadLocal<Digest> digests;
    private final ThreadLocal<HMac> macs;

    NoiseHash(Supplier<Digest> digestFactory, int hashLen, int blockLen) {
        this.hashLen = hashLen;
        this.blockLen = blockLen;
        this.digests = ThreadLocal.withInitial(digestFactory);
        this.macs = ThreadLocal.withInitial(() -> new HMac(digestFactory.get()));
    }

    public int hashLen() {
        return hashLen;
    }

    public int blockLen() {
        return blockLen;
    }

    /** HASH(a ‖ b ‖ …). */
    public byte[] hash(byte[]... parts) {
        Digest d = digests.get();
        d.reset();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[hashLen];
        d.doFinal(out, 0);
        return out;
    }

    /** HMAC-HASH(key, a ‖ b ‖ …) per RFC 2104. */
    public byte[] hmac(byte[] key, byte[]... parts) {
        HMac mac = macs.get();
        mac.init(new KeyParameter(key));
        for (byte[] p : parts) {
            mac.update(p, 0, p.length);
        }
        byte[] out = new byte[hashLen];
        mac.doFinal(out, 0);
        return out;
    }

    /**
     * HKDF(chainingKey, inputKeyMaterial, numOutputs) of Noise §4.3: 2 or 3 outputs of hashLen bytes each.
     * WireGuard's KDF1..3 are this with BLAKE2s (KDF1 keeps only the first output).
     */
    public byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial, int numOutputs) {
        byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
        // Every output is keyed by tempKey: key the HMAC once; BouncyCastle's doFinal returns to that state.
        HMac mac = macs.get();
        mac.init(new KeyParameter(tempKey));
        byte[][] out = new byte[numOutputs][];
        for (int i = 0; i < numOutputs; i++) {
            if (i > 0) {
                mac.update(out[i - 1], 0, hashLen);
            }
            mac.update((byte) (i + 1));
            out[i] = new byte[hashLen];
            mac.doFinal(out[i], 0);
        }
        java.util.Arrays.fill(tempKey, (byte) 0);
        return out;
    }

    public static NoiseHash named(String name) throws IllegalArgumentException {
        for (NoiseHash h : values()) {
            if (h.name().equals(name)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unsupported Noise hash " + name);
    }
}
