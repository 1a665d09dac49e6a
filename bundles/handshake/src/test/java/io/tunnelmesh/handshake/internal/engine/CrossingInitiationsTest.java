package io.tunnelmesh.handshake.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import io.tunnelmesh.handshake.internal.wireguard.HandshakeInitiation;
import org.junit.jupiter.api.Test;

/**
 * Both sides start a handshake at the same moment, as two mesh nodes do when the coordinator pushes them the same map:
 * the initiations cross. Each side answers the other's and keeps its own, so the queued packets arrive at that same
 * moment instead of after REKEY_TIMEOUT, and keep arriving after the first of them.
 */
class CrossingInitiationsTest {
    @Test
    void crossingInitiationsBringUpSessionsAtOnce() {
        Mesh m = new Mesh();
        long now = 3 * Mesh.S;
        assertEquals(Action.SEND_TO_PEER, m.alice.encapsulate(m.bob, Node.ipPacket(60, 1), now).action());
        byte[] fromAlice = m.alice.output();
        assertEquals(Action.SEND_TO_PEER, m.bob.encapsulate(m.alice, Node.ipPacket(60, 2), now).action());
        byte[] fromBob = m.bob.output();

        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(fromAlice, m.alice.address, now).action(), m.bob.outcome.toString());
        byte[] bobsAnswer = m.bob.output();
        assertEquals(Action.SEND_TO_SOURCE, m.alice.receive(fromBob, m.bob.address, now).action(), m.alice.outcome.toString());
        byte[] alicesAnswer = m.alice.output();
        // each answer finds the initiation it answers still pending
        assertEquals(Action.NONE, m.alice.receive(bobsAnswer, m.bob.address, now).action(), m.alice.outcome.toString());
        assertEquals(true, m.alice.outcome.authenticated());
        assertEquals(Action.NONE, m.bob.receive(alicesAnswer, m.alice.address, now).action(), m.bob.outcome.toString());
        assertEquals(true, m.bob.outcome.authenticated());

        assertEquals(Action.SEND_TO_PEER, m.alice.poll(m.bob, now).action());
        assertEquals(Action.DELIVER, m.bob.receive(m.alice.output(), m.alice.address, now).action(), m.bob.outcome.toString());
        assertArrayEquals(Node.ipPacket(60, 1), m.bob.output());
        assertEquals(Action.SEND_TO_PEER, m.bob.poll(m.alice, now).action());
        assertEquals(Action.DELIVER, m.alice.receive(m.bob.output(), m.bob.address, now).action(), m.alice.outcome.toString());
        assertArrayEquals(Node.ipPacket(60, 2), m.alice.output());
        for (int i = 0; i < 3; i++) {
            Mesh.roundTrip(m.alice, m.bob, 100, 10 + i, now + i * Mesh.S);
            Mesh.roundTrip(m.bob, m.alice, 100, 20 + i, now + i * Mesh.S);
        }
    }

    @Test
    void aKeptInitiationIsDroppedOnceTheirSessionIsConfirmedAndHoldsNothingBack() {
        Mesh m = new Mesh();
        long now = 3 * Mesh.S;
        aliceLosesHerInitiationAndAnswersBobs(m, now);
        assertEquals(Action.NONE, m.bob.receive(m.alice.output(), m.alice.address, now).action());
        assertEquals(Action.SEND_TO_PEER, m.bob.poll(m.alice, now).action());
        assertEquals(Action.DELIVER, m.alice.receive(m.bob.output(), m.bob.address, now).action());
        assertArrayEquals(Node.ipPacket(60, 2), m.alice.output());

        // bob's session is confirmed: alice's lost initiation is no longer retried after REKEY_TIMEOUT...
        long later = now + ProtocolTimes.REKEY_TIMEOUT + ProtocolTimes.MAX_JITTER;
        for (int i = 0; i < 4 && m.alice.poll(m.bob, later).action() == Action.SEND_TO_PEER; i++) {
            assertNotEquals(HandshakeInitiation.LENGTH, m.alice.output().length, "alice retried an initiation she no longer needs");
        }
        // ...and, no longer pending, it does not hold back the next handshake alice wants
        m.alice.peer(m.bob).requestHandshake();
        assertEquals(Action.SEND_TO_PEER, m.alice.poll(m.bob, later).action());
        assertEquals(HandshakeInitiation.LENGTH, m.alice.output().length);
    }

    @Test
    void aKeptInitiationIsRetriedWhenNeitherSessionComesUp() {
        Mesh m = new Mesh();
        long now = 3 * Mesh.S;
        aliceLosesHerInitiationAndAnswersBobs(m, now);
        m.alice.output(); // alice's answer is lost too

        long later = now + ProtocolTimes.REKEY_TIMEOUT + ProtocolTimes.MAX_JITTER;
        assertEquals(Action.SEND_TO_PEER, m.alice.poll(m.bob, later).action(), "alice retransmits her initiation");
        byte[] retry = m.alice.output();
        assertEquals(HandshakeInitiation.LENGTH, retry.length);
        assertEquals(Action.SEND_TO_SOURCE, m.bob.receive(retry, m.alice.address, later).action(), m.bob.outcome.toString());
        assertEquals(Action.NONE, m.alice.receive(m.bob.output(), m.bob.address, later).action(), m.alice.outcome.toString());
        assertEquals(Action.SEND_TO_PEER, m.alice.poll(m.bob, later).action());
        assertEquals(Action.DELIVER, m.bob.receive(m.alice.output(), m.alice.address, later).action(), m.bob.outcome.toString());
        assertArrayEquals(Node.ipPacket(60, 1), m.bob.output());
    }

    /** Both start a handshake at {@code now}; alice's initiation is lost, bob's reaches her. Her answer is her output. */
    private static void aliceLosesHerInitiationAndAnswersBobs(Mesh m, long now) {
        assertEquals(Action.SEND_TO_PEER, m.alice.encapsulate(m.bob, Node.ipPacket(60, 1), now).action());
        m.alice.output(); // lost: bob never sees alice's initiation
        assertEquals(Action.SEND_TO_PEER, m.bob.encapsulate(m.alice, Node.ipPacket(60, 2), now).action());
        assertEquals(Action.SEND_TO_SOURCE, m.alice.receive(m.bob.output(), m.bob.address, now).action());
    }
}
