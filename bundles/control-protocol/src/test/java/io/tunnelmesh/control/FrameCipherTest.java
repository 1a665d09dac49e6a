package io.tunnelmesh.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.handshake.internal.noise.CipherState;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The JDK-sealed transport frames are Noise ChaChaPoly frames: the handshake's own CipherState opens and seals them. */
class FrameCipherTest {
    private static final byte[] NO_AD = new byte[0];

    @Test
    void framesSealedByTheSessionOpenWithTheNoiseCipherStateAndBack() throws Exception {
        CipherState[][] pairs = Keys.splitPairs();
        ControlSession node = new ControlSession(pairs[0][0], pairs[0][1]);
        CipherState coordinatorReceive = pairs[1][0];
        CipherState coordinatorSend = pairs[1][1];

        byte[] message = new byte[3 * ControlSession.CHUNK + 17];
        new SplittableRandom(3).nextBytes(message);
        for (int round = 0; round < 2; round++) {
            List<byte[]> frames = node.seal(message);
            assertEquals(4, frames.size());
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (int i = 0; i < frames.size(); i++) {
                byte[] plain = coordinatorReceive.decryptWithAd(NO_AD, frames.get(i), 0, frames.get(i).length);
                assertEquals(i < frames.size() - 1 ? ControlSession.MORE : ControlSession.LAST, plain[0]);
                joined.write(plain, 1, plain.length - 1);
            }
            assertArrayEquals(message, joined.toByteArray(), "round " + round + ": nonces count up alike");

            byte[] reply = ("{\"type\":\"pong\",\"nonce\":" + round + "}").getBytes();
            byte[] plain = new byte[1 + reply.length];
            plain[0] = ControlSession.LAST;
            System.arraycopy(reply, 0, plain, 1, reply.length);
            assertArrayEquals(reply, node.open(coordinatorSend.encryptWithAd(NO_AD, plain)));
        }
    }
}
