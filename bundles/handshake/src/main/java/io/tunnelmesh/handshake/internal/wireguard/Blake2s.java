package io.tunnelmesh.handshake.internal.wireguard;

import org.bouncycastle.crypto.digests.Blake2sDigest;

/**
 * WireGuard's two uses of BLAKE2s besides HMAC: HASH (unkeyed, 32 bytes) and MAC (keyed BLAKE2s with a 16-byte
 * output, BLAKE2s's own key parameter — not HMAC; mixing them up breaks mac1 silently).
 */
public final class Blake2s {
    public static final int MAC_LENGTH = 16;

    private Blake2s() {
    }

    public static byte[] hash(byte[]... parts) {
        Blake2sDigest d = new Blake2sDigest(256);
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** MAC(key, data[offset, offset+length)) written to out[outOffset, +16). */
    public static void mac(byte[] key, byte[] data, int offset, int length, byte[] out, int outOffset) {
        Blake2sDigest d = new Blake2sDigest(key, MAC_LENGTH, null, null);
        d.update(data, offset, length);
        d.doFinal(out, outOffset);
    }

    public static byte[] mac(byte[] key, byte[] data, int offset, int length) {
        byte[] out = new byte[MAC_LENGTH];
        mac(key, data, offset, length, out, 0);
        return out;
    }
}
