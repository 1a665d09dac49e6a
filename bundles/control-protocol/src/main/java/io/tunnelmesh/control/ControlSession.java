package io.tunnelmesh.control;

import io.tunnelmesh.handshake.internal.noise.CipherState;
import io.tunnelmesh.handshake.internal.noise.NoiseCipher;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Transport phase: ChaCha20-Poly1305 frames (sealed by {@link FrameCipher}), a message split over frames with a leading 0x01 (more) / 0x00
 * (last) byte. Sealing and opening may run on different threads (each direction is separately synchronized).
 * Nonces count up per frame, so the frames of one {@link #seal} must be written in order and before those of a
 * later seal: a caller with several writers seals and writes under one lock.
 */
public final class ControlSession {
    static final byte MORE = 1;
    static final byte LAST = 0;
    private static final byte[] MORE_PREFIX = {MORE};
    private static final byte[] LAST_PREFIX = {LAST};
    /** Plaintext bytes of a message per frame: the frame limit less the tag and the continuation byte. */
    static final int CHUNK = ControlFrames.MAX_FRAME - NoiseCipher.TAG_LENGTH - 1;

    private final FrameCipher send;
    private final FrameCipher receive;
    private final Object sendLock = new Object();
    private final Object receiveLock = new Object();
    private ByteArrayOutputStream partial = new ByteArrayOutputStream();

    ControlSession(CipherState send, CipherState receive) {
        this.send = new FrameCipher(send, true);
        this.receive = new FrameCipher(receive, false);
    }

    /**
     * @return the frames (each ciphertext <= 65535 bytes) carrying message
     * @throws IllegalArgumentException above MAX_MESSAGE
     */
    public List<byte[]> seal(byte[] message) {
        if (message.length > ControlFrames.MAX_MESSAGE) {
            throw new IllegalArgumentException("a control message holds at most " + ControlFrames.MAX_MESSAGE + " bytes, not " + message.length);
        }
        synchronized (sendLock) {
            List<byte[]> frames = new ArrayList<>(message.length / CHUNK + 1);
            int pos = 0;
            do {
                int n = Math.min(CHUNK, message.length - pos);
                frames.add(send.seal(pos + n < message.length ? MORE_PREFIX : LAST_PREFIX, message, pos, n));
                pos += n;
            } while (pos < message.length);
            return frames;
        }
    }

    /**
     * @return the whole message once its last frame arrived, else null
     * @throws ControlProtocolException on a forged/garbled frame or a message over MAX_MESSAGE
     */
    public byte[] open(byte[] frame) throws ControlProtocolException {
        synchronized (receiveLock) {
            byte[] plain = receive.open(frame);
            if (plain == null) {
                discardPartial();
                throw new ControlProtocolException("control frame failed authentication (forged, garbled or out of order)");
            }
            if (plain.length == 0 || (plain[0] != MORE && plain[0] != LAST)) {
                discardPartial();
                throw new ControlProtocolException("control frame lacks its continuation byte (0x00 or 0x01)");
            }
            if ((long) partial.size() + plain.length - 1 > ControlFrames.MAX_MESSAGE) {
                discardPartial();
                throw new ControlProtocolException("control message longer than " + ControlFrames.MAX_MESSAGE + " bytes");
            }
            boolean more = plain[0] == MORE;
            partial.write(plain, 1, plain.length - 1);
            Arrays.fill(plain, (byte) 0);
            if (more) {
                return null;
            }
            byte[] message = partial.toByteArray();
            discardPartial();
            return message;
        }
    }

    /** A fresh buffer after a big message, so one 16 MiB map does not pin 16 MiB for the session's life. */
    private void discardPartial() {
        if (partial.size() > ControlFrames.MAX_FRAME) {
            partial = new ByteArrayOutputStream();
        } else {
            partial.reset();
        }
    }
}
