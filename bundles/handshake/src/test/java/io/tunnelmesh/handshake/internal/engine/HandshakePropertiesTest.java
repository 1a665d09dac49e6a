package io.tunnelmesh.handshake.internal.engine;

import static io.tunnelmesh.handshake.internal.engine.Mesh.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandshakePropertiesTest {

    @Test
    void bothSidesDeriveTheSameKeysAndTrafficFlowsBothWays() {
        for (int run = 0; run < 20; run++) {
            Mesh m = new Mesh();
            m.handshake(0);
            for (int i = 0; i < 5; i++) {
                Mesh.roundTrip(m.alice, m.bob, 40 + i * 300, i, S);
                Mesh.roundTrip(m.bob, m.alice, 1420 - i, i + 1, S);
            }
            assertEquals(1, m.alice.peer(m.bob).stats().handshakesCompleted());
            assertEquals(1, m.bob.peer(m.alice).stats().handshakesCompleted());
            assertTrue(m.bob.peer(m.alice).stats().rxBytes() > 0);
        }
    }

    @Test
    void anotherMeshPskFailsAtMessageTwoAndIsCounted() {
        byte[] otherPsk = new byte[32];
        Arrays.fill(otherPsk, (byte) 9);
        Mesh m = new Mesh(Mesh.PSK, otherPsk);
        byte[] init = m.initiation(0);
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(init, m.alice.address, 0).action(), "msg 1 does not use the psk");
        var outcome = m.alice.receive(m.bob.output(), m.bob.address, 0);
        assertEquals(Action.DROP, outcome.action());
        assertEquals(DropReason.HANDSHAKE_FAILED, outcome.dropReason());
        assertEquals(1, m.alice.engine.drops(DropReason.HANDSHAKE_FAILED));
        assertEquals(DropReason.HANDSHAKE_FAILED, m.alice.peer(m.bob).stats().lastError());
        assertEquals(0, m.alice.peer(m.bob).stats().handshakesCompleted());
        // Still no session: the packet stays queued, nothing goes out as data.
        assertNotEquals(Action.DELIVER, m.alice.poll(m.bob, 1).action());
    }

    @Test
    void replayedInitiationIsRejectedAndSoIsAFloodWithin20ms() {
        Mesh m = new Mesh();
        byte[] init = m.initiation(0);
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(init, m.alice.address, 0).action());
        var replay = m.bob.receive(init, m.alice.address, 10 * S);
        assertEquals(DropReason.REPLAYED_HANDSHAKE, replay.dropReason());

        // A genuinely new initiation (newer timestamp) 10 ms after the last accepted one (t=0) is a flood.
        m.alice.wallTime = m.alice.wallTime.plusSeconds(1);
        m.alice.peer(m.bob).requestHandshake();
        assertEquals(Action.SEND_TO_PEER, m.alice.poll(m.bob, 6 * S).action());
        byte[] second = m.alice.output();
        assertEquals(DropReason.HANDSHAKE_FLOOD, m.bob.receive(second, m.alice.address, 10_000_000).dropReason());
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(second, m.alice.address, 30_000_000).action());
    }

    @Test
    void initiationFromAStrangerIsUnknownPeer() {
        Mesh m = new Mesh();
        Node eve = new Node("eve", 3, Mesh.PSK);
        eve.engine.addPeer(m.bob.key, 0);
        eve.encapsulate(m.bob, Node.ipPacket(40, 0), 0);
        assertEquals(DropReason.UNKNOWN_PEER, m.bob.receive(eve.output(), eve.address, 0).dropReason());
    }

    /** Every single-bit change of every message is refused (mac2 bits count only under load, as in WireGuard). */
    @Test
    void aFlippedBitAnywhereInAnyMessageIsRejected() {
        Mesh m = new Mesh();
        byte[] init = m.initiation(0);
        Set<Action> refused = EnumSet.of(Action.DROP);
        for (int bit = 0; bit < 132 * 8; bit++) {
            assertTrue(refused.contains(m.bob.receive(flip(init, bit), m.alice.address, 0).action()), "initiation bit " + bit);
        }
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(init, m.alice.address, 0).action());
        byte[] response = m.bob.output();
        for (int bit = 0; bit < 76 * 8; bit++) {
            assertEquals(Action.DROP, m.alice.receive(flip(response, bit), m.bob.address, 0).action(), "response bit " + bit);
        }
        assertEquals(Action.NONE, m.alice.receive(response, m.bob.address, 0).action());
        m.alice.poll(m.bob, 0);
        byte[] data = m.alice.output();
        for (int bit = 0; bit < data.length * 8; bit++) {
            assertEquals(Action.DROP, m.bob.receive(flip(data, bit), m.alice.address, 0).action(), "data bit " + bit);
        }
        assertEquals(Action.DELIVER, m.bob.receive(data, m.alice.address, 0).action());

        // Under load mac2 matters: a cookie reply, then flips of any bit of the cookie-bearing initiation fail.
        m.bob.engine.setUnderLoad(true);
        m.alice.peer(m.bob).requestHandshake();
        m.alice.poll(m.bob, 6 * S);
        byte[] again = m.alice.output();
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(again, m.alice.address, 6 * S).action());
        byte[] cookieReply = m.bob.output();
        assertEquals(64, cookieReply.length);
        for (int bit = 0; bit < 64 * 8; bit++) {
            assertEquals(Action.DROP, m.alice.receive(flip(cookieReply, bit), m.bob.address, 6 * S).action(), "cookie bit " + bit);
        }
        assertEquals(Action.NONE, m.alice.receive(cookieReply, m.bob.address, 6 * S).action());
        assertEquals(Action.SEND_TO_PEER, m.alice.poll(m.bob, 12 * S).action(), "retransmission now carries mac2");
        byte[] withMac2 = m.alice.output();
        for (int bit = 0; bit < 148 * 8; bit++) {
            var o = m.bob.receive(flip(withMac2, bit), m.alice.address, 12 * S);
            assertTrue(o.action() == Action.DROP || o.peer() == null, "mac2-protected initiation bit " + bit + ": " + o);
        }
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(withMac2, m.alice.address, 12 * S).action());
        assertTrue(m.bob.outcome.authenticated(), "answered with a response, not a cookie");
        assertTrue(m.bob.engine.drops(DropReason.COOKIE_REQUIRED) > 0);
    }

    @Test
    void underLoadEachSourceGetsFiveHandshakesBurstThenTwentyPerSecond() {
        Mesh m = new Mesh();
        m.bob.engine.setUnderLoad(true);
        byte[] init = m.initiation(0);
        m.bob.receive(init, m.alice.address, 0);
        m.alice.receive(m.bob.output(), m.bob.address, 0);
        m.alice.peer(m.bob).requestHandshake();
        m.alice.poll(m.bob, 6 * S);
        byte[] withMac2 = m.alice.output();
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            if (m.bob.receive(withMac2, m.alice.address, 6 * S).dropReason() == DropReason.RATE_LIMITED) {
                limited++;
            }
        }
        assertEquals(5, limited, "burst of 5, the rest limited");
        // 50 ms later one more token is there.
        assertNotEquals(DropReason.RATE_LIMITED, m.bob.receive(withMac2, m.alice.address, 6 * S + 50_000_000).dropReason());
    }

    static byte[] flip(byte[] message, int bit) {
        byte[] copy = message.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }
}
