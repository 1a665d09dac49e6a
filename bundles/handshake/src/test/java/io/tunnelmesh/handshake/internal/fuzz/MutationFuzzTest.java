package io.tunnelmesh.handshake.internal.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random-mutation fuzzing of every message parser and of the responder/initiator: valid datagrams of
 * each type are bit-flipped, overwritten, truncated, extended, spliced and retyped, then fed to real engines
 * (also under load) and to the parsers. Zero escaped exceptions and zero modified datagrams accepted as
 * authentic are the pass criteria.
 *
 * <p>Bounded in time: 3 s by default; {@code -Dfuzz.seconds=N} runs longer and {@code -Dfuzz.seed=S} replays a
 * run. (Jazzer 0.24.0 resolves from Maven Central but its bundled ASM cannot instrument Java 25 class files,
 * major version 69, so coverage guidance does not work on this JDK; hence this loop.)
 */
class MutationFuzzTest {

    @Test
    void noInputEscapesAnExceptionOrPassesAsAuthentic() {
        long seconds = Long.getLong("fuzz.seconds", 3);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("mutation fuzz: seed " + seed + " (replay with -Dfuzz.seed=" + seed + "), " + seconds + " s");
        SplittableRandom rnd = new SplittableRandom(seed);
        FuzzTargets targets = new FuzzTargets();
        assertEquals(5, targets.seeds.size());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long runs = 0;
        long[] perSeed = new long[targets.seeds.size()];
        while (System.nanoTime() < end) {
            int which = rnd.nextInt(targets.seeds.size());
            byte[] original = targets.seeds.get(which);
            byte[] input = mutate(original, targets, rnd);
            boolean accepted;
            try {
                accepted = targets.receive(input);
                targets.parsers(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("escaped exception for input " + java.util.HexFormat.of().formatHex(input) + " (seed " + seed + ")", e);
            }
            if (targets.seeds.stream().noneMatch(seedBytes -> Arrays.equals(input, seedBytes))) {
                assertTrue(!accepted, "modified datagram accepted: " + java.util.HexFormat.of().formatHex(input) + " (seed " + seed + ")");
            }
            perSeed[which]++;
            runs++;
        }
        System.out.printf("mutation fuzz: %d inputs (initiation %d, response %d, cookie %d, data %d, keepalive %d), 0 crashes%n",
                runs, perSeed[0], perSeed[1], perSeed[2], perSeed[3], perSeed[4]);
        assertTrue(runs > 100, "the fuzzer hardly ran: " + runs);
    }

    static byte[] mutate(byte[] original, FuzzTargets targets, SplittableRandom rnd) {
        byte[] d = original.clone();
        int strategies = 1 + rnd.nextInt(3);
        for (int s = 0; s < strategies; s++) {
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    int bit = rnd.nextInt(d.length * 8);
                    d[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                case 1 -> {
                    if (d.length > 0) {
                        d[rnd.nextInt(d.length)] = (byte) rnd.nextInt(256);
                    }
                }
                case 2 -> d = Arrays.copyOf(d, rnd.nextInt(d.length + 1));
                case 3 -> d = Arrays.copyOf(d, d.length + 1 + rnd.nextInt(64));
                case 4 -> {
                    byte[] other = targets.seeds.get(rnd.nextInt(targets.seeds.size()));
                    int cut = rnd.nextInt(Math.min(d.length, other.length) + 1);
                    System.arraycopy(other, 0, d, 0, Math.min(cut, d.length));
                }
                case 5 -> {
                    if (d.length > 0) {
                        d[0] = (byte) rnd.nextInt(6);
                    }
                }
                case 6 -> {
                    d = new byte[rnd.nextInt(200)];
                    rnd.nextBytes(d);
                }
                default -> {
                    if (d.length >= 16) {
                        // a huge or tiny counter with an otherwise valid header
                        long counter = rnd.nextBoolean() ? -1L - rnd.nextInt(10_000) : rnd.nextInt(10_000);
                        java.nio.ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(8, counter);
                    }
                }
            }
            if (d.length == 0) {
                break;
            }
        }
        return d;
    }
}
