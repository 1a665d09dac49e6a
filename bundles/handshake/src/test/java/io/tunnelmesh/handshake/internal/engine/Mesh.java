package io.tunnelmesh.handshake.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import io.tunnelmesh.api.handshake.PacketOutcome.Action;

/** Two nodes that know each other, and the steps of a normal handshake between them. */
final class Mesh {
    static final long S = ProtocolTimes.SECOND;
    static final byte[] PSK = new byte[32];

    static {
        Arrays.fill(PSK, (byte) 7);
    }

    final Node alice;
    final Node bob;

    Mesh() {
        this(PSK, PSK);
    }

    Mesh(byte[] alicePsk, byte[] bobPsk) {
        alice = new Node("alice", 1, alicePsk);
        bob = new Node("bob", 2, bobPsk);
        alice.engine.addPeer(bob.key, 0);
        bob.engine.addPeer(alice.key, 0);
    }

    /** Alice sends a packet with no session: it is queued and an initiation comes out. @return the initiation */
    byte[] initiation(long now) {
        assertEquals(Action.SEND_TO_PEER, alice.encapsulate(bob, Node.ipPacket(60, 1), now).action());
        byte[] init = alice.output();
        assertEquals(148, init.length);
        return init;
    }

    /** Full handshake at {@code now}; alice's queued packet reaches bob, confirming bob's keypair. */
    void handshake(long now) {
        byte[] init = initiation(now);
        assertEquals(Action.SEND_TO_SOURCE, bob.receive(init, alice.address, now).action(), bob.outcome.toString());
        byte[] response = bob.output();
        assertEquals(92, response.length);
        assertEquals(Action.NONE, alice.receive(response, bob.address, now).action(), alice.outcome.toString());
        assertEquals(true, alice.outcome.authenticated());
        assertEquals(Action.SEND_TO_PEER, alice.poll(bob, now).action());
        byte[] data = alice.output();
        assertEquals(Action.DELIVER, bob.receive(data, alice.address, now).action(), bob.outcome.toString());
        assertArrayEquals(Node.ipPacket(60, 1), bob.output());
    }

    /** Sends one packet from {@code from} to {@code to} and asserts it arrives intact. */
    static void roundTrip(Node from, Node to, int length, int marker, long now) {
        byte[] packet = Node.ipPacket(length, marker);
        assertEquals(Action.SEND_TO_PEER, from.encapsulate(to, packet, now).action(), from.outcome.toString());
        byte[] datagram = from.output();
        assertEquals(Action.DELIVER, to.receive(datagram, from.address, now).action(), to.outcome.toString());
        assertArrayEquals(packet, to.output());
    }
}
