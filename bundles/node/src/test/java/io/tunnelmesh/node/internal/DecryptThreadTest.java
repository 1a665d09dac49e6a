package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.PresharedKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inbound flow with and without {@code decrypt.thread}: real WireGuard nodes on an in-memory network, two
 * senders bursting at one receiver at the same time. Each sender's packets reach the receiver's TUN device complete
 * and in the order sent, written by the thread the setting names.
 */
class DecryptThreadTest {
    private static final int BURSTS = 40;
    private final MemoryNetwork network = new MemoryNetwork();
    private final PresharedKey mesh = RealEngine.psk();
    private final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(TestNode::close);
    }

    private TestNode node(String host, String meshAddress, boolean decryptThread) {
        TestNode n = RealEngine.node(network, host, meshAddress, mesh, decryptThread);
        nodes.add(n);
        return n;
    }

    @ParameterizedTest(name = "decrypt.thread={0}")
    @ValueSource(booleans = {false, true})
    void eachPeersPacketsArriveCompleteAndInOrder(boolean decryptThread) throws Exception {
        TestNode a = node("192.0.2.1", "10.99.0.1", false);
        TestNode c = node("192.0.2.3", "10.99.0.3", false);
        TestNode b = node("192.0.2.2", "10.99.0.2", decryptThread);
        TestNode.introduce(a, b);
        TestNode.introduce(c, b);
        TunnelTest.assertDelivered(a, b, "a's first packet");
        TunnelTest.assertDelivered(c, b, "c's first packet");

        Thread fromA = Thread.ofPlatform().start(() -> burst(a, b));
        Thread fromC = Thread.ofPlatform().start(() -> burst(c, b));
        fromA.join();
        fromC.join();

        Map<String, Integer> next = new HashMap<>(Map.of("10.99.0.1", 0, "10.99.0.3", 0));
        int expected = 2 * BURSTS * PacketBatch.SIZE;
        for (int i = 0; i < expected; i++) {
            byte[] got = b.tun.written(5000);
            assertNotNull(got, "packet " + i + " of " + expected + "; b's drops: " + b.plane.status("t").drops());
            String source = (got[12] & 0xff) + "." + (got[13] & 0xff) + "." + (got[14] & 0xff) + "." + (got[15] & 0xff);
            int sequence = ByteBuffer.wrap(got, 20, 4).getInt();
            assertEquals(next.get(source), sequence, "the next packet from " + source);
            next.put(source, sequence + 1);
        }
        String writer = decryptThread ? "tm-decrypt-" + b.tun.name() : "memory-transport-";
        assertTrue(b.tun.writers.stream().allMatch(name -> name.startsWith(writer)),
                "threads that wrote to b's TUN device: " + b.tun.writers);
    }

    /** BURSTS batched reads of PacketBatch.SIZE numbered packets from {@code from} to {@code to}. */
    private static void burst(TestNode from, TestNode to) {
        int sequence = 0;
        for (int b = 0; b < BURSTS; b++) {
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < PacketBatch.SIZE; i++) {
                byte[] payload = new byte[1000];
                ByteBuffer.wrap(payload).putInt(sequence++);
                packets.add(Packets.ipv4(from.meshAddress, to.meshAddress, payload));
            }
            from.tun.injectBatch(packets);
        }
    }
}
