package io.tunnelmesh.handshake.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tunnelmesh.api.handshake.PacketOutcome.Action;
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
}
