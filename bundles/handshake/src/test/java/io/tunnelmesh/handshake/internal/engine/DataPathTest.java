package io.tunnelmesh.handshake.internal.engine;

import static io.tunnelmesh.handshake.internal.engine.Mesh.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.handshake.internal.wireguard.TransportHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class DataPathTest {

    @Test
    void replayedAndTooOldDataPacketsAreRejected() {
        Mesh m = new Mesh();
        m.handshake(0);
        m.alice.encapsulate(m.bob, Node.ipPacket(100, 1), S);
        byte[] first = m.alice.output();
        assertEquals(Action.DELIVER, m.bob.receive(first, m.alice.address, S).action());
        assertEquals(DropReason.REPLAYED_PACKET, m.bob.receive(first, m.alice.address, S).dropReason());

        byte[] old = null;
        for (int i = 0; i < 8200; i++) {
            m.alice.encapsulate(m.bob, Node.ipPacket(40, i), S);
            if (i == 0) {
                old = m.alice.output();
            }
        }
        // the last one sealed moves bob's window far ahead
        assertEquals(Action.DELIVER, m.bob.receive(m.alice.output(), m.alice.address, S).action());
        assertEquals(DropReason.REPLAYED_PACKET, m.bob.receive(old, m.alice.address, S).dropReason(), "more than 8128 behind");
        assertTrue(m.bob.engine.drops(DropReason.REPLAYED_PACKET) >= 2);
    }

    @Test
    void paddingIsToSixteenButNeverBeyondTheMtu() {
        Mesh m = new Mesh();
        m.handshake(0);
        int[][] cases = {{100, 112}, {112, 112}, {1415, 1420}, {1420, 1420}, {1410, 1420}, {21, 32}};
        for (int[] c : cases) {
            m.alice.encapsulate(m.bob, Node.ipPacket(c[0], 3), S);
            assertEquals(16 + c[1] + 16, m.alice.outcome.length(), "payload " + c[0]);
            assertEquals(Action.DELIVER, m.bob.receive(m.alice.output(), m.alice.address, S).action());
            assertEquals(c[0], m.bob.outcome.length(), "trimmed to the IP length");
        }
        assertEquals(0, Buffers.padding(1500, 1420), "oversize: len % mtu = 80 is already a multiple of 16");
        assertEquals(12, Buffers.padding(1504, 1420), "oversize: len % mtu = 84 is padded to 96");
    }

    @Test
    void aSealedPlaintextThatIsNotAnIpPacketComesOutAsAnAuthenticatedControlMessage() {
        Mesh m = new Mesh();
        m.handshake(0);
        byte[] probe = {0x54, 'M', 'P', 1, 1, 9, 9, 9, 9, 9, 9, 9, 9};
        m.alice.encapsulate(m.bob, probe, S);
        PacketOutcome o = m.bob.receive(m.alice.output(), m.alice.address, S);
        assertEquals(Action.CONTROL, o.action());
        assertTrue(o.authenticated());
        assertEquals(16, o.length(), "the plaintext with its padding: the node's message says its own length");
        // an IPv4 version nibble with a bad length is still malformed, not a control message
        byte[] badIp = {0x45, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        m.alice.encapsulate(m.bob, badIp, S);
        assertEquals(DropReason.MALFORMED, m.bob.receive(m.alice.output(), m.alice.address, S).dropReason());
    }

    @Test
    void sealingFromManyThreadsNeverReusesACounter() throws Exception {
        Mesh m = new Mesh();
        m.handshake(0);
        TunnelPeer toBob = m.alice.peer(m.bob);
        ConcurrentLinkedQueue<byte[]> sealed = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ByteBuffer out = ByteBuffer.allocate(256);
                PacketOutcome o = new PacketOutcome();
                byte[] packet = Node.ipPacket(64, 5);
                for (int i = 0; i < 2500; i++) {
                    out.clear();
                    toBob.encapsulate(ByteBuffer.wrap(packet), out, S, o);
                    byte[] d = new byte[o.length()];
                    out.get(out.position(), d);
                    sealed.add(d);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        Set<Long> counters = new HashSet<>();
        for (byte[] d : sealed) {
            assertTrue(counters.add(TransportHeader.counter(ByteBuffer.wrap(d), 0)), "nonce reused");
            assertEquals(Action.DELIVER, m.bob.receive(d, m.alice.address, S).action());
        }
        assertEquals(10_000, counters.size());
    }

    @Test
    void hostileDatagramsAreCountedNeverThrown() {
        Mesh m = new Mesh();
        m.handshake(0);
        assertEquals(DropReason.MALFORMED, m.bob.receive(new byte[3], m.alice.address, 0).dropReason());
        assertEquals(DropReason.UNKNOWN_TYPE, m.bob.receive(new byte[] {9, 0, 0, 0, 1}, m.alice.address, 0).dropReason());
        assertEquals(DropReason.MALFORMED, m.bob.receive(new byte[] {1, 0, 0, 0, 1}, m.alice.address, 0).dropReason());
        assertEquals(DropReason.MALFORMED, m.bob.receive(new byte[] {4, 0, 0, 0, 1, 2, 3}, m.alice.address, 0).dropReason());
        assertEquals(DropReason.UNKNOWN_TYPE, m.bob.receive(new byte[32], m.alice.address, 0).dropReason());
        byte[] data = new byte[48];
        data[0] = 4;
        assertEquals(DropReason.UNKNOWN_SESSION, m.bob.receive(data, m.alice.address, 0).dropReason());
    }
}
