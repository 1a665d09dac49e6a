package io.tunnelmesh.cipher.internal;

import static io.tunnelmesh.cipher.internal.ChaCha20Poly1305KeyTest.buffer;
import static io.tunnelmesh.cipher.internal.ChaCha20Poly1305KeyTest.bytes;
import static io.tunnelmesh.cipher.internal.ChaCha20Poly1305KeyTest.referenceSeal;
import static io.tunnelmesh.cipher.internal.ChaCha20Poly1305KeyTest.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The scalar ChaCha20-Poly1305 against BouncyCastle's, an independent implementation: every length from 0 to
 * 1100 bytes (all block-boundary cases of both ChaCha20 and Poly1305), counters whose high word is set, and
 * the MAC alone on the inputs that make Poly1305's final reduction take its rare branch.
 */
class ScalarChaCha20Poly1305Test {
    private final ScalarChaCha20Poly1305 aead = new ScalarChaCha20Poly1305();

    @Test
    void sealAndOpenMatchTheReferenceForEveryLength() throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int length = 0; length <= 1100; length++) {
            byte[] key = bytes(rnd, 32);
            long counter = length % 3 == 0 ? length : rnd.nextLong();
            byte[] pt = bytes(rnd, length);
            byte[] expected = referenceSeal(key, counter, pt);
            boolean direct = length % 2 == 1;
            ByteBuffer in = buffer(direct, length + 9).position(9);
            in.put(pt);
            ByteBuffer out = buffer(direct, length + 16 + 5);
            int[] words = ScalarChaCha20Poly1305.keyWords(key);

            assertEquals(length + 16, aead.seal(words, counter, in, 9, length, 0, out, 5));
            assertArrayEquals(expected, slice(out, 5, length + 16), "seal, length " + length);

            ByteBuffer plain = buffer(direct, length + 2);
            assertEquals(length, aead.open(words, counter, out, 5, length + 16, plain, 2), "open, length " + length);
            assertArrayEquals(pt, slice(plain, 2, length), "opened, length " + length);
        }
    }

    @Test
    void zeroPaddingIsSealedAsZeroPlaintext() throws Exception {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int length : new int[] {0, 1, 15, 49, 63, 64, 65, 127, 200}) {
            for (int pad = 0; pad <= 15; pad++) {
                byte[] key = bytes(rnd, 32);
                byte[] pt = bytes(rnd, length);
                byte[] expected = referenceSeal(key, 7, Arrays.copyOf(pt, length + pad));
                ByteBuffer out = ByteBuffer.allocate(length + pad + 16);
                aead.seal(ScalarChaCha20Poly1305.keyWords(key), 7, ByteBuffer.wrap(pt), 0, length, pad, out, 0);
                assertArrayEquals(expected, out.array(), "length " + length + " padding " + pad);
            }
        }
    }

    @Test
    void openingInPlaceWorksAndAForgeryWritesNothing() throws Exception {
        byte[] key = bytes(new SplittableRandom(13), 32);
        byte[] pt = bytes(new SplittableRandom(14), 100);
        byte[] sealed = referenceSeal(key, 3, pt);
        int[] words = ScalarChaCha20Poly1305.keyWords(key);

        ByteBuffer inPlace = ByteBuffer.wrap(sealed.clone());
        assertEquals(100, aead.open(words, 3, inPlace, 0, sealed.length, inPlace, 0));
        assertArrayEquals(pt, slice(inPlace, 0, 100));

        byte[] forged = sealed.clone();
        forged[sealed.length - 1] ^= 1;
        ByteBuffer out = ByteBuffer.allocate(100);
        assertEquals(-1, aead.open(words, 3, ByteBuffer.wrap(forged), 0, forged.length, out, 0));
        assertArrayEquals(new byte[100], out.array(), "no plaintext of an unauthentic packet is written");
    }

    @Test
    void macMatchesTheReferenceIncludingTheFinalReductionsEdgeCases() {
        SplittableRandom rnd = new SplittableRandom(15);
        byte[] ones = new byte[16];
        Arrays.fill(ones, (byte) 0xff);
        // r = 1 or 2 and messages of 0xff bytes drive h to within 5 of 2^130 - 5, where the result must be
        // taken as g = h + 5 - 2^130 (the shapes of RFC 8439 appendix A.3's vectors 5 to 11).
        byte[][] keys = {key(1, new byte[16]), key(2, new byte[16]), key(2, ones), key(1, ones), key32(rnd)};
        byte[][] messages = {ones, concat(ones, ones), concat(ones, ones, ones, ones), new byte[16],
                concat(ones, bytesOf(0xfb, 0xfe), bytesOf(0x01, 0x01)), bytes(rnd, 64), new byte[0]};
        for (byte[] key : keys) {
            for (byte[] message : messages) {
                ByteBuffer tag = ByteBuffer.allocate(16);
                aead.poly1305(key, ByteBuffer.wrap(message), 0, message.length, tag);
                assertArrayEquals(referenceMac(key, message), tag.array());
            }
        }
        for (int i = 0; i < 2000; i++) {
            byte[] key = key32(rnd);
            byte[] message = bytes(rnd, 16 * rnd.nextInt(0, 8));
            ByteBuffer tag = ByteBuffer.allocate(16);
            aead.poly1305(key, ByteBuffer.wrap(message), 0, message.length, tag);
            assertArrayEquals(referenceMac(key, message), tag.array(), "random key " + i);
        }
    }

    private static byte[] referenceMac(byte[] key, byte[] message) {
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        return tag;
    }

    /** A one-time key whose r is the small number {@code r} and whose s is {@code s}. */
    private static byte[] key(int r, byte[] s) {
        byte[] key = new byte[32];
        key[0] = (byte) r;
        System.arraycopy(s, 0, key, 16, 16);
        return key;
    }

    private static byte[] key32(SplittableRandom rnd) {
        return bytes(rnd, 32);
    }

    /** 16 bytes: {@code first}, then fifteen times {@code rest}. */
    private static byte[] bytesOf(int first, int rest) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) rest);
        b[0] = (byte) first;
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
