package io.tunnelmesh.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.StaticKeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlHandshakeTest {
    private final StaticKeyPair node = Keys.generate();
    private final StaticKeyPair coordinator = Keys.generate();

    @Test
    void bothSidesLearnTheOthersPayloadAndKeyAndTalkBothWays() throws Exception {
        ControlHandshake.Initiation init = ControlHandshake.initiate(node, coordinator.publicKey(), "hello".getBytes(UTF_8));
        ControlHandshake.Acceptance acceptance = ControlHandshake.accept(coordinator, init.message());
        assertEquals(node.publicKey(), acceptance.initiator(), "the coordinator learns the node's own key");
        assertArrayEquals("hello".getBytes(UTF_8), acceptance.payload());

        ControlHandshake.Reply reply = acceptance.reply("welcome".getBytes(UTF_8));
        ControlHandshake.Established established = init.finish(reply.message());
        assertArrayEquals("welcome".getBytes(UTF_8), established.payload());

        ControlSession nodeSide = established.session();
        ControlSession coordinatorSide = reply.session();
        for (int i = 0; i < 3; i++) {
            byte[] up = ("up " + i).getBytes(UTF_8);
            byte[] down = ("down " + i).getBytes(UTF_8);
            assertArrayEquals(up, openAll(coordinatorSide, nodeSide.seal(up)));
            assertArrayEquals(down, openAll(nodeSide, coordinatorSide.seal(down)));
        }
    }

    @Test
    void theHandshakeMessagesDoNotShowThePayloads() throws Exception {
        byte[] hello = "secret-token-material".getBytes(UTF_8);
        ControlHandshake.Initiation init = ControlHandshake.initiate(node, coordinator.publicKey(), hello);
        assertFalse(new String(init.message(), UTF_8).contains("secret-token-material"));
    }

    @Test
    void aNodeTrustingAnotherKeyIsRefusedByTheRealCoordinator() throws Exception {
        StaticKeyPair other = Keys.generate();
        ControlHandshake.Initiation init = ControlHandshake.initiate(node, other.publicKey(), new byte[0]);
        ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> ControlHandshake.accept(coordinator, init.message()));
        assertOneLine(e.getMessage());
    }

    @Test
    void aSecondMessageNotAnsweringThisInitiationFailsAtFinish() throws Exception {
        // Someone who is not the coordinator cannot read message 1, so the best it can send is an answer made
        // for another initiation (or by another coordinator key): finish must refuse it.
        ControlHandshake.Initiation mine = ControlHandshake.initiate(node, coordinator.publicKey(), new byte[0]);
        ControlHandshake.Initiation theirs = ControlHandshake.initiate(node, coordinator.publicKey(), new byte[0]);
        byte[] foreignReply = ControlHandshake.accept(coordinator, theirs.message()).reply(new byte[0]).message();
        ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> mine.finish(foreignReply));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("coordinator"), e.getMessage());
    }

    @Test
    void aTamperedSecondMessageFailsAtFinish() throws Exception {
        ControlHandshake.Initiation init = ControlHandshake.initiate(node, coordinator.publicKey(), new byte[0]);
        byte[] message2 = ControlHandshake.accept(coordinator, init.message()).reply("welcome".getBytes(UTF_8)).message();
        message2[message2.length - 1] ^= 1;
        assertThrows(ControlProtocolException.class, () -> init.finish(message2));
    }

    @Test
    void garbageAsMessageOneIsRefused() {
        for (byte[] garbage : List.of(new byte[0], new byte[31], new byte[95], new byte[200])) {
            ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> ControlHandshake.accept(coordinator, garbage));
            assertOneLine(e.getMessage());
        }
    }

    @Test
    void aHelloTooBigForOneFrameIsRefusedBeforeSending() {
        assertThrows(ControlProtocolException.class, () -> ControlHandshake.initiate(node, coordinator.publicKey(), new byte[ControlHandshake.MAX_HELLO + 1]));
    }

    @Test
    void theBiggestHelloAndWelcomeFitOneFrame() throws Exception {
        ControlHandshake.Initiation init = ControlHandshake.initiate(node, coordinator.publicKey(), new byte[ControlHandshake.MAX_HELLO]);
        assertEquals(ControlFrames.MAX_FRAME, init.message().length);
        ControlHandshake.Reply reply = ControlHandshake.accept(coordinator, init.message()).reply(new byte[ControlHandshake.MAX_WELCOME]);
        assertEquals(ControlFrames.MAX_FRAME, reply.message().length);
        assertEquals(ControlHandshake.MAX_WELCOME, init.finish(reply.message()).payload().length);
    }

    static byte[] openAll(ControlSession receiver, List<byte[]> frames) throws ControlProtocolException {
        byte[] message = null;
        for (int i = 0; i < frames.size(); i++) {
            message = receiver.open(frames.get(i));
            if (i < frames.size() - 1) {
                assertEquals(null, message, "a message is only complete at its last frame");
            }
        }
        return message;
    }

    static void assertOneLine(String message) {
        assertTrue(message != null && !message.isBlank() && message.indexOf('\n') < 0 && message.indexOf('\r') < 0, "not one line: " + message);
    }
}
