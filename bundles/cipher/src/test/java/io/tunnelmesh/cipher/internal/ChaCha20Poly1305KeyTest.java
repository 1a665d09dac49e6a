package io.tunnelmesh.cipher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tunnelmesh.api.cipher.TransportKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class ChaCha20Poly1305KeyTest {
    private final ChaCha20Poly1305Cipher cipher = new ChaCha20Poly1305Cipher();

    /** An independent ChaCha20-Poly1305 (BouncyCastle) with WireGuard's nonce: 4 zero bytes ‖ LE counter. */
    static byte[] referenceSeal(byte[] key, long counter, byte[] plaintext) throws Exception {
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        ChaCha20Poly1305 bc = new ChaCha20Poly1305();
        bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonce));
        byte[] out = new byte[plaintext.length + 16];
        int n = bc.processBytes(plaintext, 0, plaintext.length, out, 0);
        bc.doFinal(out, n);
        return out;
    }

    @Test
    void sealMatchesIndependentImplementationForHeapAndDirectBuffers() throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        int checked = 0;
        for (int round = 0; round < 200; round++) {
            byte[] key = bytes(rnd, 32);
            byte[] pt = bytes(rnd, rnd.nextInt(0, 1500));
            long counter = round < 100 ? round : rnd.nextLong();
            byte[] expected = referenceSeal(key, counter, pt);
            TransportKey k = cipher.newKey(key);
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer in = buffer(direct, pt.length + 7).position(7);
                in.put(pt).position(7);
                ByteBuffer out = buffer(direct, pt.length + 40).position(5);
                int n = k.seal(counter, in, out);
                assertEquals(pt.length + 16, n);
                assertEquals(5 + n, out.position());
                assertArrayEquals(expected, slice(out, 5, n), "seal round " + round + " direct=" + direct);

                ByteBuffer ct = out.flip().position(5);
                ByteBuffer plain = buffer(direct, pt.length + 3).position(3);
                assertEquals(pt.length, k.open(counter, ct, plain));
                assertArrayEquals(pt, slice(plain, 3, pt.length));
                checked++;
            }
        }
        assertEquals(400, checked);
    }

    @Test
    void paddedSealEqualsSealOfZeroPaddedPlaintext() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int pad = 0; pad <= 15; pad++) {
            byte[] key = bytes(rnd, 32);
            byte[] pt = bytes(rnd, 100 + pad);
            byte[] expected = referenceSeal(key, pad, Arrays.copyOf(pt, pt.length + pad));
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer in = buffer(direct, pt.length).put(pt).flip();
                ByteBuffer out = buffer(direct, pt.length + pad + 16);
                assertEquals(pt.length + pad + 16, cipher.newKey(key).seal(pad, in, pad, out));
                assertArrayEquals(expected, slice(out, 0, out.position()));
            }
        }
    }

    @Test
    void everyFlippedBitAndWrongCounterIsRejectedWithoutThrowing() throws Exception {
        byte[] key = bytes(new SplittableRandom(1), 32);
        byte[] sealed = referenceSeal(key, 9, "hello, tunnel".getBytes());
        TransportKey k = cipher.newKey(key);
        ByteBuffer out = ByteBuffer.allocate(64);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] bad = sealed.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(-1, k.open(9, ByteBuffer.wrap(bad), out.clear()), "bit " + bit);
        }
        assertEquals(-1, k.open(10, ByteBuffer.wrap(sealed), out.clear()));
        assertEquals(-1, k.open(9, ByteBuffer.wrap(sealed, 0, 15), out.clear()), "shorter than a tag");
        assertEquals(-1, k.open(9, ByteBuffer.wrap(sealed), ByteBuffer.allocate(3)), "output too small");
        assertEquals(13, k.open(9, ByteBuffer.wrap(sealed), out.clear()));
    }

    @Test
    void nonceIsFourZeroBytesThenLittleEndianCounter() throws Exception {
        // RFC 8439-style check with a counter whose bytes differ: a big-endian layout would not match.
        byte[] key = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        long counter = 0x0102030405060708L;
        ByteBuffer out = ByteBuffer.allocate(48);
        cipher.newKey(key).seal(counter, ByteBuffer.wrap(new byte[32]), out);
        assertArrayEquals(referenceSeal(key, counter, new byte[32]), out.array());
    }

    @Test
    void sealingTheSameCounterTwiceOnOneThreadStillWorks() throws Exception {
        byte[] key = bytes(new SplittableRandom(3), 32);
        TransportKey k = cipher.newKey(key);
        ByteBuffer a = ByteBuffer.allocate(32);
        ByteBuffer b = ByteBuffer.allocate(32);
        k.seal(0, ByteBuffer.wrap(new byte[16]), a);
        k.seal(0, ByteBuffer.wrap(new byte[16]), b);
        assertArrayEquals(a.array(), b.array());
    }

    @Test
    void destroyedKeyOpensNothingAndRefusesToSeal() throws Exception {
        byte[] key = bytes(new SplittableRandom(4), 32);
        byte[] sealed = referenceSeal(key, 0, new byte[10]);
        TransportKey k = cipher.newKey(key);
        k.destroy();
        assertEquals(-1, k.open(0, ByteBuffer.wrap(sealed), ByteBuffer.allocate(64)));
        assertThrows(IllegalStateException.class, () -> k.seal(1, ByteBuffer.allocate(1), ByteBuffer.allocate(64)));
        assertThrows(IllegalArgumentException.class, () -> cipher.newKey(new byte[31]));
    }

    @Test
    void severalThreadsSealAndOpenWithOneKey() throws Exception {
        byte[] key = bytes(new SplittableRandom(5), 32);
        TransportKey k = cipher.newKey(key);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = t * 1_000_000L;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    ByteBuffer out = ByteBuffer.allocate(1500);
                    ByteBuffer plain = ByteBuffer.allocate(1500);
                    byte[] pt = new byte[1420];
                    for (int i = 0; i < 2000; i++) {
                        pt[0] = (byte) i;
                        k.seal(base + i, ByteBuffer.wrap(pt), out.clear());
                        if (k.open(base + i, out.flip(), plain.clear()) == pt.length && plain.get(0) == (byte) i) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(2000, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static byte[] bytes(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static ByteBuffer buffer(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    static byte[] slice(ByteBuffer b, int from, int len) {
        byte[] r = new byte[len];
        b.get(from, r);
        return r;
    }
}
