package io.tunnelmesh.handshake.internal.wireguard;

import static io.tunnelmesh.handshake.internal.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelmesh.handshake.internal.noise.NoiseHash;
import io.tunnelmesh.handshake.internal.testing.Vectors;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** wireguard-go's KDF vectors and the kernel/wireguard-go replay-counter self-test sequences. */
class KdfAndReplayVectorTest {

    @Test
    void hmacBlake2sKdfMatchesWireGuardGo() {
        int rows = 0;
        for (JsonNode v : Vectors.load("wireguard/wireguard-go-kdf.json").get("vectors")) {
            byte[][] t = NoiseHash.BLAKE2s.hkdf(hex(v.get("key")), hex(v.get("input")), 3);
            assertEquals(v.get("t0").asText(), hex(t[0]));
            assertEquals(v.get("t1").asText(), hex(t[1]));
            assertEquals(v.get("t2").asText(), hex(t[2]));
            rows++;
        }
        System.out.println("wireguard-go KDF vectors: " + rows + " rows matched");
        assertEquals(3, rows);
    }

    @Test
    void replayWindowAgreesWithEveryKernelSelfTestCheck() {
        JsonNode file = Vectors.load("wireguard/replay-window-sequences.json");
        assertEquals(file.get("constants").get("window_size_W").asInt(), ReplayWindow.WINDOW);
        assertEquals(new BigInteger(file.get("constants").get("reject_after_messages_R").asText()),
                new BigInteger(Long.toUnsignedString(ReplayWindow.REJECT_AFTER_MESSAGES)));
        int checks = 0;
        int sequence = 0;
        for (JsonNode seq : file.get("sequences")) {
            ReplayWindow window = new ReplayWindow();
            int step = 0;
            for (JsonNode check : seq) {
                long counter = Long.parseUnsignedLong(check.get(0).asText());
                boolean expected = check.get(1).asInt() == 1;
                if (window.accept(counter) != expected) {
                    throw new AssertionError("sequence " + sequence + " step " + step + " counter " + Long.toUnsignedString(counter)
                            + ": expected " + (expected ? "accept" : "reject"));
                }
                checks++;
                step++;
            }
            sequence++;
        }
        System.out.println("Replay window: " + checks + " checks in " + sequence + " sequences agreed");
        assertEquals(48_813, checks);
    }
}
