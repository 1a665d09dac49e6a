package io.tunnelmesh.control;

import static io.tunnelmesh.control.ControlHandshakeTest.assertOneLine;
import static io.tunnelmesh.control.ControlHandshakeTest.openAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ControlSessionTest {

    @Test
    void aTamperedFrameFailsToOpenAndTheGenuineOneStillDoes() throws Exception {
        ControlSession[] s = Keys.sessionPair();
        byte[] frame = s[0].seal("{\"type\":\"ping\",\"nonce\":1}".getBytes()).getFirst();
        byte[] tampered = frame.clone();
        tampered[5] ^= 0x20;
        ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> s[1].open(tampered));
        assertOneLine(e.getMessage());
        assertArrayEquals("{\"type\":\"ping\",\"nonce\":1}".getBytes(), s[1].open(frame));
    }

    @Test
    void framesOutOfOrderOrReplayedFail() throws Exception {
        ControlSession[] s = Keys.sessionPair();
        byte[] first = s[0].seal(new byte[] {1}).getFirst();
        byte[] second = s[0].seal(new byte[] {2}).getFirst();
        assertThrows(ControlProtocolException.class, () -> s[1].open(second));
        assertArrayEquals(new byte[] {1}, s[1].open(first));
        assertThrows(ControlProtocolException.class, () -> s[1].open(first), "a replayed frame");
    }

    @Test
    void aOneMebibyteMessageIsChunkedIntoFullFramesAndReassembled() throws Exception {
        ControlSession[] s = Keys.sessionPair();
        byte[] message = new byte[1 << 20];
        new SplittableRandom(1).nextBytes(message);
        List<byte[]> frames = s[0].seal(message);
        assertEquals((message.length + ControlSession.CHUNK - 1) / ControlSession.CHUNK, frames.size());
        for (byte[] f : frames.subList(0, frames.size() - 1)) {
            assertEquals(ControlFrames.MAX_FRAME, f.length, "every frame but the last is full");
        }
        assertTrue(frames.getLast().length <= ControlFrames.MAX_FRAME);
        assertArrayEquals(message, openAll(s[1], frames));
        assertArrayEquals(new byte[] {7}, openAll(s[1], s[0].seal(new byte[] {7})), "the session goes on after a big message");
    }

    @Test
    void anEmptyMessageIsOneFrame() throws Exception {
        ControlSession[] s = Keys.sessionPair();
        List<byte[]> frames = s[1].seal(new byte[0]);
        assertEquals(1, frames.size());
        assertArrayEquals(new byte[0], s[0].open(frames.getFirst()));
    }

    @Test
    void aMessageAtTheLimitPassesAndOneByteMoreIsNotSealed() throws Exception {
        ControlSession[] s = Keys.sessionPair();
        assertEquals(ControlFrames.MAX_MESSAGE, openAll(s[1], s[0].seal(new byte[ControlFrames.MAX_MESSAGE])).length);
        assertThrows(IllegalArgumentException.class, () -> s[0].seal(new byte[ControlFrames.MAX_MESSAGE + 1]));
    }

    @Test
    void aReassemblyGrowingPastTheLimitIsRefused() throws Exception {
        Keys.ForgingPeer peer = Keys.forgingPeer();
        byte[] more = new byte[1 + ControlSession.CHUNK];
        more[0] = ControlSession.MORE;
        int fullFrames = ControlFrames.MAX_MESSAGE / ControlSession.CHUNK;
        for (int i = 0; i < fullFrames; i++) {
            assertNull(peer.receiver().open(peer.frame(more)));
        }
        ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> peer.receiver().open(peer.frame(more)));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("longer"), e.getMessage());
        assertArrayEquals(new byte[] {9}, peer.receiver().open(peer.frame(new byte[] {ControlSession.LAST, 9})),
                "the refused message was dropped");
    }

    @Test
    void anAuthenticFrameWithoutAContinuationByteIsRefused() throws Exception {
        Keys.ForgingPeer peer = Keys.forgingPeer();
        assertThrows(ControlProtocolException.class, () -> peer.receiver().open(peer.frame(new byte[0])));
        assertThrows(ControlProtocolException.class, () -> peer.receiver().open(peer.frame(new byte[] {2, 'x'})));
    }
}
