package io.tunnelmesh.control;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random-mutation fuzzing of the three parsers that read what another machine (or a pasted line) sends:
 * ControlCodec.decode, ControlSession.open and JoinToken.parse. Valid inputs are bit-flipped, overwritten,
 * truncated, extended, spliced and sprinkled with JSON or base64 punctuation. Pass criteria: no exception other
 * than the declared one (with a one-line message), and no modified frame accepted.
 *
 * <p>Bounded: {@code -Dfuzz.iterations=N} per target (default 20 000), seed fixed unless {@code -Dfuzz.seed=S}
 * (the same style as the handshake's MutationFuzzTest; Jazzer cannot instrument Java 25 class files).
 */
class ControlMutationFuzzTest {
    private static final byte[][] JSON_BITS = {
        "{".getBytes(UTF_8), "}".getBytes(UTF_8), "[".getBytes(UTF_8), "]".getBytes(UTF_8), "\"".getBytes(UTF_8),
        ",".getBytes(UTF_8), ":".getBytes(UTF_8), "null".getBytes(UTF_8), "true".getBytes(UTF_8), "-0".getBytes(UTF_8),
        "1e999".getBytes(UTF_8), "99999999999999999999".getBytes(UTF_8), "\\u0000".getBytes(UTF_8), "\\".getBytes(UTF_8),
        "\"type\":\"map\"".getBytes(UTF_8), "\"peers\":[{}]".getBytes(UTF_8), "{\"a\":[[[[".getBytes(UTF_8),
        {(byte) 0xC3}, {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xFF},
    };
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/ \n.~é";

    private final long seed = Long.getLong("fuzz.seed", 0x7443_1C0DEL);
    private final int iterations = Integer.getInteger("fuzz.iterations", 20_000);

    @Test
    void decodeLetsOnlyControlProtocolExceptionsOut() throws Exception {
        SplittableRandom rnd = random("codec");
        ControlFuzzTargets t = new ControlFuzzTargets();
        for (int i = 0; i < iterations; i++) {
            byte[] input = mutate(pick(t.jsonSeeds, rnd), t.jsonSeeds, rnd, true);
            try {
                t.decode(input);
            } catch (RuntimeException | AssertionError e) {
                throw finding("codec", input, e);
            }
        }
    }

    @Test
    void openRefusesEveryModifiedFrameAndSurvivesAuthenticGarbage() throws Exception {
        SplittableRandom rnd = random("session");
        ControlFuzzTargets t = new ControlFuzzTargets();
        for (int i = 0; i < iterations; i++) {
            byte[] plaintext = pick(t.plaintextSeeds, rnd);
            byte[] garbage = mutate(plaintext, t.plaintextSeeds, rnd, true);
            long mutationSeed = rnd.nextLong();
            try {
                t.forgedFrame(plaintext, f -> mutate(f, List.of(f), new SplittableRandom(mutationSeed), false));
                t.authenticFrame(garbage);
            } catch (RuntimeException | AssertionError e) {
                throw finding("session", garbage, e);
            }
        }
    }

    @Test
    void tokenParseLetsOnlyOneLineIllegalArgumentExceptionsOut() throws Exception {
        SplittableRandom rnd = random("token");
        ControlFuzzTargets t = new ControlFuzzTargets();
        for (int i = 0; i < iterations; i++) {
            String seedToken = t.tokenSeeds.get(rnd.nextInt(t.tokenSeeds.size()));
            String input;
            if (rnd.nextBoolean()) {
                // mutate the decoded bytes and re-encode, so the layout checks (not just base64) are reached
                byte[] raw = Base64.getUrlDecoder().decode(seedToken.substring(4));
                byte[] m = mutate(raw, List.of(raw), rnd, false);
                input = "tm1_" + Base64.getUrlEncoder().withoutPadding().encodeToString(m);
            } else {
                input = mutateText(seedToken, rnd);
            }
            try {
                t.parseToken(input);
            } catch (RuntimeException | AssertionError e) {
                throw finding("token", input.getBytes(UTF_8), e);
            }
        }
    }

    private SplittableRandom random(String target) {
        System.out.println("control fuzz " + target + ": seed " + seed + " (replay with -Dfuzz.seed=" + seed + "), " + iterations + " inputs");
        return new SplittableRandom(seed ^ target.hashCode());
    }

    private AssertionError finding(String target, byte[] input, Throwable e) {
        return new AssertionError(target + ": escaped " + e + " for input " + HexFormat.of().formatHex(input) + " (seed " + seed + ")", e);
    }

    private static byte[] pick(List<byte[]> seeds, SplittableRandom rnd) {
        return seeds.get(rnd.nextInt(seeds.size()));
    }

    static byte[] mutate(byte[] original, List<byte[]> seeds, SplittableRandom rnd, boolean json) {
        byte[] d = original.clone();
        int strategies = 1 + rnd.nextInt(3);
        for (int s = 0; s < strategies; s++) {
            switch (rnd.nextInt(json ? 8 : 6)) {
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
                default -> d = insert(d, JSON_BITS[rnd.nextInt(JSON_BITS.length)], rnd);
            }
        }
        return d;
    }

    private static byte[] insert(byte[] d, byte[] bit, SplittableRandom rnd) {
        int at = rnd.nextInt(d.length + 1);
        boolean replace = rnd.nextBoolean() && at + bit.length <= d.length;
        byte[] out = new byte[replace ? d.length : d.length + bit.length];
        System.arraycopy(d, 0, out, 0, at);
        System.arraycopy(bit, 0, out, at, bit.length);
        int rest = replace ? at + bit.length : at;
        System.arraycopy(d, rest, out, at + bit.length, d.length - rest);
        return out;
    }

    private static String mutateText(String original, SplittableRandom rnd) {
        StringBuilder b = new StringBuilder(original);
        int strategies = 1 + rnd.nextInt(3);
        for (int s = 0; s < strategies; s++) {
            int at = b.isEmpty() ? 0 : rnd.nextInt(b.length());
            char c = TOKEN_CHARS.charAt(rnd.nextInt(TOKEN_CHARS.length()));
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    if (!b.isEmpty()) {
                        b.setCharAt(at, c);
                    }
                }
                case 1 -> b.insert(at, c);
                case 2 -> {
                    if (!b.isEmpty()) {
                        b.deleteCharAt(at);
                    }
                }
                case 3 -> b.setLength(rnd.nextInt(b.length() + 1));
                default -> {
                    for (int n = 1 + rnd.nextInt(8); n > 0; n--) {
                        b.insert(at, (char) rnd.nextInt(0x20, 0x7f));
                    }
                }
            }
        }
        return b.toString();
    }
}
