package io.tunnelmesh.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random-mutation fuzzing of what a STUN server and client read from the network: Stun.isStun,
 * Stun.isWireGuard, BindingRequest.parse and BindingResponse.parse, in the style of the control protocol's
 * ControlMutationFuzzTest. Valid messages are bit-flipped, overwritten, truncated, extended, spliced and given
 * random attribute headers; half of the results get their header length and FINGERPRINT repaired so the
 * attribute walk is reached. Pass criteria: nothing throws, position and limit are untouched, and every
 * request that parses is answered within {@link BindingResponse#MAX_GROWTH} bytes of its own size.
 *
 * <p>Bounded: {@code -Dfuzz.iterations=N} (default 50 000), seed fixed unless {@code -Dfuzz.seed=S}.
 */
class StunMutationFuzzTest {
    private final long seed = Long.getLong("fuzz.seed", 0x3478_2112A442L);
    private final int iterations = Integer.getInteger("fuzz.iterations", 50_000);

    @Test
    void hostileDatagramsNeverThrowAndAnswersNeverAmplify() throws Exception {
        List<byte[]> seeds = seeds();
        SplittableRandom rnd = new SplittableRandom(seed);
        System.out.println("stun fuzz: seed " + seed + " (replay with -Dfuzz.seed=" + seed + "), " + iterations + " inputs");
        int parsedRequests = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), seeds, rnd);
            if (rnd.nextBoolean()) {
                repair(input);
            }
            try {
                parsedRequests += check(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("escaped " + e + " for input " + HexFormat.of().formatHex(input) + " (seed " + seed + ")", e);
            }
        }
        assertTrue(parsedRequests > iterations / 20, "the fuzzer reached the attribute walk: " + parsedRequests);
    }

    /** @return 1 when the input parsed as a Binding request */
    private static int check(byte[] input) {
        // at offset 7 in a buffer that ends with the datagram: any read past the limit throws
        byte[] backing = new byte[7 + input.length];
        System.arraycopy(input, 0, backing, 7, input.length);
        ByteBuffer datagram = ByteBuffer.wrap(backing).position(7);
        Stun.isWireGuard(datagram);
        Stun.isStun(datagram);
        BindingResponse.parse(datagram);
        var request = BindingRequest.parse(datagram);
        assertEquals(7, datagram.position());
        assertEquals(backing.length, datagram.limit());
        if (request.isEmpty()) {
            return 0;
        }
        ByteBuffer out = ByteBuffer.allocate(input.length + BindingResponse.MAX_GROWTH);
        if (request.get().unknownAttributes().isEmpty()) {
            BindingResponse.writeSuccess(out, request.get().transactionId(),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
        } else {
            BindingResponse.writeUnknownAttributes(out, request.get().transactionId(), request.get().unknownAttributes());
        }
        return 1; // a BufferOverflowException above would be an amplification
    }

    private static List<byte[]> seeds() {
        ByteBuffer plain = ByteBuffer.allocate(64);
        BindingRequest.write(plain, new TransactionId(1, 2));
        return List.of(array(Rfc5769Vectors.bytes(Rfc5769Vectors.REQUEST)), array(Rfc5769Vectors.bytes(Rfc5769Vectors.IPV4_RESPONSE)),
                array(Rfc5769Vectors.bytes(Rfc5769Vectors.IPV6_RESPONSE)), array(plain.flip()),
                HexFormat.of().parseHex("000100002112a442" + "00".repeat(12)));
    }

    /** Sets the cookie and a length matching the size (cut to a multiple of 4), and recomputes a trailing FINGERPRINT. */
    private static void repair(byte[] d) {
        if (d.length < Stun.HEADER_LENGTH) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(d);
        b.put(0, (byte) (d[0] & 0x3F)).putInt(4, Stun.MAGIC_COOKIE).putShort(2, (short) ((d.length - Stun.HEADER_LENGTH) & ~3));
        int end = Stun.HEADER_LENGTH + ((d.length - Stun.HEADER_LENGTH) & ~3);
        if (end >= 28 && (b.getInt(end - 8) == 0x80280004)) {
            b.putInt(end - 4, AttributeReader.fingerprint(b, 0, end - 8));
        }
    }

    private static byte[] mutate(byte[] original, List<byte[]> seeds, SplittableRandom rnd) {
        byte[] d = original.clone();
        for (int s = 1 + rnd.nextInt(3); s > 0; s--) {
            switch (rnd.nextInt(7)) {
                case 0 -> {
                    if (d.length > 0) {
                        int bit = rnd.nextInt(d.length * 8);
                        d[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                }
                case 1 -> {
                    if (d.length > 0) {
                        d[rnd.nextInt(d.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> d = Arrays.copyOf(d, rnd.nextInt(d.length + 1));
                case 3 -> d = Arrays.copyOf(d, d.length + 1 + rnd.nextInt(64));
                case 4 -> {
                    byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                    int cut = rnd.nextInt(Math.min(d.length, other.length) + 1);
                    System.arraycopy(other, 0, d, 0, cut);
                }
                case 5 -> {
                    d = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(d);
                }
                default -> {
                    // an attribute header with a random type and a length that may overrun, after the header
                    if (d.length >= Stun.HEADER_LENGTH + 4) {
                        int at = Stun.HEADER_LENGTH + 4 * rnd.nextInt((d.length - Stun.HEADER_LENGTH) / 4);
                        if (at + 4 <= d.length) {
                            ByteBuffer.wrap(d).putShort(at, (short) rnd.nextInt(0x10000)).putShort(at + 2, (short) rnd.nextInt(48));
                        }
                    }
                }
            }
        }
        return d;
    }

    private static byte[] array(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
