package io.tunnelmesh.cipher.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ChaCha20-Poly1305 (RFC 8439) as WireGuard's transport messages use it: no additional data, nonce = 4 zero
 * bytes ‖ 64-bit little-endian counter. Plain Java, for small packets only (see {@link ChaCha20Poly1305Key}).
 *
 * <p>Why it exists beside the JDK's cipher: the JCE's {@code Cipher.init} allocates about 2.2 KB per packet
 * (a new Poly1305 and its limbs, key copies) and, on an idle tunnel whose caches have gone cold, takes about
 * 11 µs to seal an 84-byte ping against 2-3 µs here; BouncyCastle's lightweight ChaCha20Poly1305 also
 * allocates per init (about 200 B) and took 8 µs. For large packets the JDK's AVX intrinsics are three to four
 * times faster than any scalar code, so those still go to the JCE.
 *
 * <p>One instance per thread: it keeps one key-stream block and the MAC state between the steps of a call,
 * and nothing is allocated per call. Heap and direct buffers are read and written in place through a
 * little-endian view, whatever order the buffers are set to.
 */
final class ScalarChaCha20Poly1305 {
    static final int TAG_LENGTH = 16;
    private static final VarHandle LE_INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MASK26 = 0x3ffffff;
    private static final long MASK32 = 0xffffffffL;

    /** The last key-stream block, as sixteen little-endian words. */
    private final int[] keyStream = new int[16];

    // Poly1305 in 26-bit limbs (the poly1305-donna layout, which needs no 128-bit products): accumulator h,
    // clamped key r, r*5 for the modular reduction, and the final addend s.
    private long h0, h1, h2, h3, h4;
    private long r0, r1, r2, r3, r4;
    private long r1x5, r2x5, r3x5, r4x5;
    private long s0, s1, s2, s3;

    /** Reads a 32-byte key as the eight little-endian words the block function takes. */
    static int[] keyWords(byte[] key32) {
        ByteBuffer b = ByteBuffer.wrap(key32);
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (int) LE_INT.get(b, 4 * i);
        }
        return words;
    }

    /**
     * Seals {@code length} bytes of {@code in} at {@code inAt} followed by {@code zeroPadding} zero bytes, and
     * writes ciphertext ‖ tag at {@code outAt}. Returns the bytes written. Positions are not touched.
     */
    int seal(int[] key, long counter, ByteBuffer in, int inAt, int length, int zeroPadding, ByteBuffer out, int outAt) {
        int n1 = (int) counter;
        int n2 = (int) (counter >>> 32);
        int total = length + zeroPadding;
        startMac(key, n1, n2);
        for (int done = 0; done < total; done += 64) {
            block(key, 1 + (done >>> 6), n1, n2);
            int n = Math.min(64, total - done);
            if (done + 64 <= length) {
                xorWholeBlock(in, inAt + done, out, outAt + done);
            } else {
                xorTail(in, inAt + done, Math.max(0, Math.min(n, length - done)), n, out, outAt + done);
            }
        }
        macPadded(out, outAt, total);
        finishMac(total);
        writeTag(out, outAt + total);
        return total + TAG_LENGTH;
    }

    private void writeTag(ByteBuffer out, int at) {
        LE_INT.set(out, at, (int) h0);
        LE_INT.set(out, at + 4, (int) h1);
        LE_INT.set(out, at + 8, (int) h2);
        LE_INT.set(out, at + 12, (int) h3);
    }

    /**
     * Checks the tag of {@code length} bytes (ciphertext ‖ tag) at {@code inAt} and, only if it is authentic,
     * writes the plaintext at {@code outAt}. Returns the plaintext length or -1. In-place use is allowed.
     */
    int open(int[] key, long counter, ByteBuffer in, int inAt, int length, ByteBuffer out, int outAt) {
        int n1 = (int) counter;
        int n2 = (int) (counter >>> 32);
        int total = length - TAG_LENGTH;
        startMac(key, n1, n2);
        macPadded(in, inAt, total);
        finishMac(total);
        int diff = ((int) h0 ^ (int) LE_INT.get(in, inAt + total))
                | ((int) h1 ^ (int) LE_INT.get(in, inAt + total + 4))
                | ((int) h2 ^ (int) LE_INT.get(in, inAt + total + 8))
                | ((int) h3 ^ (int) LE_INT.get(in, inAt + total + 12));
        if (diff != 0) {
            return -1;
        }
        for (int done = 0; done < total; done += 64) {
            block(key, 1 + (done >>> 6), n1, n2);
            int n = Math.min(64, total - done);
            if (n == 64) {
                xorWholeBlock(in, inAt + done, out, outAt + done);
            } else {
                xorTail(in, inAt + done, n, n, out, outAt + done);
            }
        }
        return total;
    }

    private void xorWholeBlock(ByteBuffer in, int inAt, ByteBuffer out, int outAt) {
        int[] ks = keyStream;
        for (int i = 0; i < 16; i++) {
            LE_INT.set(out, outAt + 4 * i, (int) LE_INT.get(in, inAt + 4 * i) ^ ks[i]);
        }
    }

    /** The last block: {@code fromInput} bytes of input, then zero plaintext up to {@code n} bytes. */
    private void xorTail(ByteBuffer in, int inAt, int fromInput, int n, ByteBuffer out, int outAt) {
        int[] ks = keyStream;
        for (int i = 0; i < n; i++) {
            int k = ks[i >>> 2] >>> (8 * (i & 3));
            int p = i < fromInput ? in.get(inAt + i) : 0;
            out.put(outAt + i, (byte) (p ^ k));
        }
    }

    /** The Poly1305 one-time key is the first half of key-stream block 0 (RFC 8439, 2.6). */
    private void startMac(int[] key, int n1, int n2) {
        block(key, 0, n1, n2);
        loadMacKey();
    }

    /**
     * Raw Poly1305 (RFC 8439, 2.5) of a message whose length is a multiple of 16, where the AEAD's padding
     * adds nothing. Only for checking the MAC against another implementation with chosen keys.
     */
    void poly1305(byte[] oneTimeKey, ByteBuffer message, int at, int length, ByteBuffer tag) {
        if ((length & 15) != 0) {
            throw new IllegalArgumentException("length must be a multiple of 16, got " + length);
        }
        ByteBuffer k = ByteBuffer.wrap(oneTimeKey);
        for (int i = 0; i < 8; i++) {
            keyStream[i] = (int) LE_INT.get(k, 4 * i);
        }
        loadMacKey();
        macPadded(message, at, length);
        reduceAndAddS();
        writeTag(tag, 0);
    }

    /** Takes r and s from the first eight words of keyStream and clears the accumulator. */
    private void loadMacKey() {
        int[] ks = keyStream;
        long t0 = ks[0] & MASK32;
        long t1 = ks[1] & MASK32;
        long t2 = ks[2] & MASK32;
        long t3 = ks[3] & MASK32;
        // r is clamped as RFC 8439 2.5 says; the masks fold that into the limb split.
        r0 = t0 & 0x3ffffff;
        r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
        r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
        r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
        r4 = (t3 >>> 8) & 0x00fffff;
        r1x5 = r1 * 5;
        r2x5 = r2 * 5;
        r3x5 = r3 * 5;
        r4x5 = r4 * 5;
        s0 = ks[4] & MASK32;
        s1 = ks[5] & MASK32;
        s2 = ks[6] & MASK32;
        s3 = ks[7] & MASK32;
        h0 = h1 = h2 = h3 = h4 = 0;
    }

    /** MACs {@code length} bytes at {@code at}, the last block padded with zeros to 16 bytes (RFC 8439, 2.8). */
    private void macPadded(ByteBuffer b, int at, int length) {
        int whole = length & ~15;
        for (int i = 0; i < whole; i += 16) {
            macBlock((int) LE_INT.get(b, at + i), (int) LE_INT.get(b, at + i + 4), (int) LE_INT.get(b, at + i + 8),
                    (int) LE_INT.get(b, at + i + 12));
        }
        if (whole < length) {
            long lo = 0;
            long hi = 0;
            for (int i = whole; i < length; i++) {
                long v = (b.get(at + i) & 0xffL) << (8 * (i & 7));
                if ((i & 15) < 8) {
                    lo |= v;
                } else {
                    hi |= v;
                }
            }
            macBlock((int) lo, (int) (lo >>> 32), (int) hi, (int) (hi >>> 32));
        }
    }

    /** Adds one 16-byte block (with the 2^128 bit) to h and multiplies by r modulo 2^130 - 5. */
    private void macBlock(int w0, int w1, int w2, int w3) {
        long t0 = w0 & MASK32;
        long t1 = w1 & MASK32;
        long t2 = w2 & MASK32;
        long t3 = w3 & MASK32;
        long a0 = h0 + (t0 & MASK26);
        long a1 = h1 + (((t0 >>> 26) | (t1 << 6)) & MASK26);
        long a2 = h2 + (((t1 >>> 20) | (t2 << 12)) & MASK26);
        long a3 = h3 + (((t2 >>> 14) | (t3 << 18)) & MASK26);
        long a4 = h4 + ((t3 >>> 8) | (1L << 24));

        long d0 = a0 * r0 + a1 * r4x5 + a2 * r3x5 + a3 * r2x5 + a4 * r1x5;
        long d1 = a0 * r1 + a1 * r0 + a2 * r4x5 + a3 * r3x5 + a4 * r2x5;
        long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * r4x5 + a4 * r3x5;
        long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * r4x5;
        long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;

        // Carry each limb's excess into the next; what leaves the top is multiplied by 5 (2^130 = 5 mod p).
        h0 = d0 & MASK26; d1 += d0 >>> 26;
        h1 = d1 & MASK26; d2 += d1 >>> 26;
        h2 = d2 & MASK26; d3 += d2 >>> 26;
        h3 = d3 & MASK26; d4 += d3 >>> 26;
        h4 = d4 & MASK26; h0 += (d4 >>> 26) * 5;
        h1 += h0 >>> 26; h0 &= MASK26;
    }

    /** MACs the lengths block (no additional data, {@code length} bytes of ciphertext), then finishes the tag. */
    private void finishMac(int length) {
        macBlock(0, 0, length, 0);
        reduceAndAddS();
    }

    /** Reduces h fully modulo 2^130 - 5 and adds s; the tag's four little-endian words end up in h0..h3. */
    private void reduceAndAddS() {
        h2 += h1 >>> 26; h1 &= MASK26;
        h3 += h2 >>> 26; h2 &= MASK26;
        h4 += h3 >>> 26; h3 &= MASK26;
        h0 += (h4 >>> 26) * 5; h4 &= MASK26;
        h1 += h0 >>> 26; h0 &= MASK26;

        // g = h + 5 - 2^130; if that is not negative, h was at least p and g is h mod p. No branch on secrets.
        long g0 = h0 + 5;
        long g1 = h1 + (g0 >>> 26);
        long g2 = h2 + (g1 >>> 26);
        long g3 = h3 + (g2 >>> 26);
        long g4 = h4 + (g3 >>> 26) - (1L << 26);
        g0 &= MASK26;
        g1 &= MASK26;
        g2 &= MASK26;
        g3 &= MASK26;
        long keepH = g4 >> 63;
        long a0 = (h0 & keepH) | (g0 & ~keepH);
        long a1 = (h1 & keepH) | (g1 & ~keepH);
        long a2 = (h2 & keepH) | (g2 & ~keepH);
        long a3 = (h3 & keepH) | (g3 & ~keepH);
        long a4 = (h4 & keepH) | (g4 & ~keepH);

        long f = ((a0 | (a1 << 26)) & MASK32) + s0;
        h0 = f & MASK32;
        f = (((a1 >>> 6) | (a2 << 20)) & MASK32) + s1 + (f >>> 32);
        h1 = f & MASK32;
        f = (((a2 >>> 12) | (a3 << 14)) & MASK32) + s2 + (f >>> 32);
        h2 = f & MASK32;
        f = (((a3 >>> 18) | (a4 << 8)) & MASK32) + s3 + (f >>> 32);
        h3 = f & MASK32;
    }

    /** The ChaCha20 block function (RFC 8439, 2.3) for one block counter; the result goes to keyStream. */
    private void block(int[] key, int blockCounter, int n1, int n2) {
        int k0 = key[0], k1 = key[1], k2 = key[2], k3 = key[3], k4 = key[4], k5 = key[5], k6 = key[6], k7 = key[7];
        int x0 = 0x61707865, x1 = 0x3320646e, x2 = 0x79622d32, x3 = 0x6b206574;
        int x4 = k0, x5 = k1, x6 = k2, x7 = k3, x8 = k4, x9 = k5, x10 = k6, x11 = k7;
        int x12 = blockCounter, x13 = 0, x14 = n1, x15 = n2;
        for (int round = 0; round < 10; round++) {
            // column rounds
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8); x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8); x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8); x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8); x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            // diagonal rounds
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8); x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8); x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8); x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8); x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        int[] ks = keyStream;
        ks[0] = x0 + 0x61707865;
        ks[1] = x1 + 0x3320646e;
        ks[2] = x2 + 0x79622d32;
        ks[3] = x3 + 0x6b206574;
        ks[4] = x4 + k0;
        ks[5] = x5 + k1;
        ks[6] = x6 + k2;
        ks[7] = x7 + k3;
        ks[8] = x8 + k4;
        ks[9] = x9 + k5;
        ks[10] = x10 + k6;
        ks[11] = x11 + k7;
        ks[12] = x12 + blockCounter;
        ks[13] = x13;
        ks[14] = x14 + n1;
        ks[15] = x15 + n2;
    }
}
