package io.tunnelmesh.handshake.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelPeer;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data path allocates nothing of its own. Small packets (pings, acknowledgements) go through the cipher
 * bundle's scalar ChaCha20-Poly1305 and must allocate nothing at all. For full-size packets, bytes allocated
 * per packet by encapsulate/receive, minus what the JDK's ChaCha20-Poly1305 itself allocates per init (about
 * 2.2 KB: a new Poly1305 and a key-stream block) measured the same way in the same JVM, must stay within a
 * few bytes.
 */
class HotPathAllocationTest {
    private static final int PACKETS = 20_000;
    private static final long BUDGET_PER_PACKET = 64;

    @ParameterizedTest(name = "direct buffers: {0}")
    @ValueSource(booleans = {false, true})
    void smallPacketsAllocateNothing(boolean direct) {
        PacketOutcome outcome = new PacketOutcome();
        Runnable engine = sealAndOpen(direct, 84, outcome);
        for (int round = 0; round < 3; round++) {
            perPacket(engine);
        }
        long enginePerPacket = perPacket(engine);
        assertEquals(PacketOutcome.Action.DELIVER, outcome.action());
        System.out.printf("hot path (%s buffers), 84-byte packets: engine seal+open %d B/packet%n", direct ? "direct" : "heap", enginePerPacket);
        assertEquals(0, enginePerPacket, "bytes allocated per 84-byte packet sealed and opened");
    }

    @ParameterizedTest(name = "direct buffers: {0}")
    @ValueSource(booleans = {false, true})
    void sealAndOpenAllocateNothingBeyondTheJceCipher(boolean direct) throws Exception {
        PacketOutcome outcome = new PacketOutcome();
        Runnable engine = sealAndOpen(direct, 1420, outcome);
        Cipher jce = Cipher.getInstance("ChaCha20-Poly1305");
        SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
        byte[] nonce = new byte[12];
        byte[] plain = new byte[1420];
        byte[] sealed = new byte[1436];
        byte[] opened = new byte[1420];
        long[] counter = {0};
        Runnable raw = () -> {
            try {
                long c = counter[0]++;
                for (int i = 0; i < 8; i++) {
                    nonce[4 + i] = (byte) (c >>> (8 * i));
                }
                jce.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
                jce.doFinal(plain, 0, plain.length, sealed, 0);
                jce.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
                jce.doFinal(sealed, 0, sealed.length, opened, 0);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        for (int round = 0; round < 3; round++) { // let the JIT settle both loops
            perPacket(engine);
            perPacket(raw);
        }
        long enginePerPacket = perPacket(engine);
        long rawPerPacket = perPacket(raw);
        assertEquals(PacketOutcome.Action.DELIVER, outcome.action());
        System.out.printf("hot path (%s buffers): engine seal+open %d B/packet, raw JCE seal+open %d B/packet, ours %d B/packet%n",
                direct ? "direct" : "heap", enginePerPacket, rawPerPacket, enginePerPacket - rawPerPacket);
        assertTrue(enginePerPacket - rawPerPacket <= BUDGET_PER_PACKET,
                "the engine allocates " + (enginePerPacket - rawPerPacket) + " B per packet beyond the JCE cipher");
    }

    /** One packet of {@code length} bytes from Alice to Bob through both engines, after a handshake. */
    private static Runnable sealAndOpen(boolean direct, int length, PacketOutcome outcome) {
        Mesh m = new Mesh();
        m.handshake(0);
        TunnelPeer toBob = m.alice.peer(m.bob);
        ByteBuffer packet = allocate(direct, length).put(Node.ipPacket(length, 1)).flip();
        ByteBuffer wire = allocate(direct, 1500);
        ByteBuffer delivered = allocate(direct, 1500);
        return () -> {
            toBob.encapsulate(packet, wire.clear(), 1, outcome);
            m.bob.engine.receive(wire, m.alice.address, delivered.clear(), 1, outcome);
        };
    }

    private static ByteBuffer allocate(boolean direct, int n) {
        return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    private static long perPacket(Runnable r) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < PACKETS; i++) {
            r.run();
        }
        return (threads.getThreadAllocatedBytes(id) - before) / PACKETS;
    }
}
