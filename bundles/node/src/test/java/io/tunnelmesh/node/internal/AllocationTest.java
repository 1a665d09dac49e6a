package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.support.log.ComponentLog;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's own share of the packet path allocates nothing, in both directions: the outbound path runs on the
 * node's own TUN reader thread, fed by a TUN device that allocates nothing and measures that thread's
 * allocations between two of its reads; the inbound path is driven on this thread through the receiver the
 * transport was given, as a transport's receive thread drives it.
 */
class AllocationTest {
    private static final int PACKETS = 200_000;
    private static final StubEndpoint PEER_ADDRESS = new StubEndpoint("192.0.2.2:51820");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * @param decryptThread whether received data messages are opened on the decrypt thread (then its allocations
     *                      count too) or on the receive thread
     */
    @ParameterizedTest(name = "decrypt.thread={0}")
    @ValueSource(booleans = {false, true})
    void routingSealingOpeningAndDeliveringAllocateNothingPerPacket(boolean decryptThread) throws Exception {
        byte[] raw = new byte[32];
        raw[0] = 1;
        NodeKey peerKey = NodeKey.of(raw);
        StubEngine engine = new StubEngine(peerKey);
        StubBinding binding = new StubBinding("stub", 51820, false);
        StubTransport transport = new StubTransport(binding);
        StubTun tun = new StubTun(Packets.ipv4("10.99.0.1", "10.99.0.2", new byte[1000]));
        NodeSettings settings = new NodeSettings("tm-alloc", List.of(), 51820, 1420, null, decryptThread);
        DataPlane plane = new DataPlane(settings, new EngineOptions(new StaticKeyPair(new byte[32], NodeKey.of(new byte[32])),
                PresharedKey.none(), InstantSource.system()), tun, ComponentLog.SILENT);
        plane.useHandshakeService(options -> engine);
        plane.putPeer(new PeerConfig(peerKey, List.of(EndpointSpec.parse(PEER_ADDRESS.toString())), List.of(IpPrefix.parse("10.99.0.2/32")), 0));
        plane.offerTransport(new TransportBindings.Offer(transport, "stub", 0, 1));
        plane.start(); // the TUN reader thread starts reading the stub's packets

        DatagramReceiver receiver = transport.receiver;
        ByteBuffer datagram = ByteBuffer.allocateDirect(1500);
        datagram.put(Packets.ipv4("10.99.0.2", "10.99.0.1", new byte[1000])).flip();
        long id = Thread.currentThread().threadId();
        long decryptor = decryptThread ? threadNamed("tm-decrypt-tm-alloc").threadId() : id;
        for (int round = 0; round < 2; round++) { // the first round lets the JIT settle (escape analysis)
            long before = THREADS.getThreadAllocatedBytes(id);
            long decryptorBefore = THREADS.getThreadAllocatedBytes(decryptor);
            for (int i = 0; i < PACKETS; i++) {
                datagram.rewind();
                receiver.received(datagram, PEER_ADDRESS, binding);
                if (i % 32 == 31) {
                    receiver.batchComplete(binding);
                }
            }
            long perPacket = (THREADS.getThreadAllocatedBytes(id) - before) / PACKETS;
            long delivered = (round + 1L) * PACKETS;
            RoutingTest.eventually("packets written to the TUN", () -> tun.written, delivered);
            long decryptorPerPacket = (THREADS.getThreadAllocatedBytes(decryptor) - decryptorBefore) / PACKETS;
            if (round == 1) {
                assertEquals(0, perPacket, "bytes allocated per received packet");
                assertEquals(0, decryptorPerPacket, "bytes allocated per packet opened and delivered");
            }
        }
        assertTrue(tun.measured.await(60, java.util.concurrent.TimeUnit.SECONDS), "the TUN reader read every packet");
        assertEquals(0, tun.allocatedPerPacket, "bytes allocated per packet read, routed, sealed and sent");
        assertEquals(2L * PACKETS, tun.written);
        assertEquals(StubTun.READS, binding.sent);
        assertTrue(plane.status("t").drops().isEmpty(), plane.status("t").drops().toString());
        plane.close();
    }

    private static Thread threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name));
    }

    /** Seals by copying and opens by copying: the engine's own cost is not the node's. */
    private static final class StubEngine extends TimerlessPeer implements TunnelEngine {
        private final NodeKey peerKey;

        StubEngine(NodeKey peerKey) {
            this.peerKey = peerKey;
        }

        @Override
        public NodeKey localKey() {
            return peerKey;
        }

        @Override
        public TunnelPeer addPeer(NodeKey remote, int keepalive) {
            return this;
        }

        @Override
        public boolean removePeer(NodeKey remote) {
            return true;
        }

        @Override
        public TunnelPeer peer(NodeKey remote) {
            return this;
        }

        @Override
        public Collection<TunnelPeer> peers() {
            return List.of(this);
        }

        @Override
        public void receive(ByteBuffer datagram, Endpoint source, ByteBuffer out, long now, PacketOutcome o) {
            copy(datagram, out, o, PacketOutcome.Action.DELIVER, true);
        }

        @Override
        public void encapsulate(ByteBuffer ipPacket, ByteBuffer out, long now, PacketOutcome o) {
            copy(ipPacket, out, o, PacketOutcome.Action.SEND_TO_PEER, false);
        }

        private void copy(ByteBuffer in, ByteBuffer out, PacketOutcome o, PacketOutcome.Action action, boolean authentic) {
            int start = out.position();
            int n = in.remaining();
            out.put(in);
            out.position(start).limit(start + n);
            o.output(action, this, n, authentic);
        }

        @Override
        public NodeKey publicKey() {
            return peerKey;
        }

        @Override
        public void setUnderLoad(boolean underLoad) {
        }

        @Override
        public long drops(DropReason reason) {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    /** A transport's endpoint as the node sees one: an opaque value with equals. */
    private record StubEndpoint(String address) implements Endpoint {
        @Override
        public String transport() {
            return "stub";
        }

        @Override
        public byte[] dstToBytes() {
            return address.getBytes();
        }

        @Override
        public byte[] dstHostBytes() {
            return address.getBytes();
        }

        @Override
        public String toString() {
            return "stub:" + address;
        }
    }

    private static final class StubTransport implements Transport {
        private final StubBinding binding;
        volatile DatagramReceiver receiver;

        StubTransport(StubBinding binding) {
            this.binding = binding;
        }

        @Override
        public String name() {
            return "stub";
        }

        @Override
        public Endpoint parseEndpoint(String address) {
            return new StubEndpoint(address);
        }

        @Override
        public TransportBinding bind(TransportOptions options, DatagramReceiver into) {
            this.receiver = into;
            return binding;
        }
    }

    /**
     * Hands the reader {@link #READS} copies of one packet, one per read, then reports closed. The reader thread
     * measures its own allocations between the end of the first half (JIT settled) and its last read.
     */
    private static final class StubTun implements TunDevice {
        static final int READS = 2 * PACKETS;
        private final byte[] packet;
        private final java.util.concurrent.CountDownLatch measured = new java.util.concurrent.CountDownLatch(1);
        private int reads;
        private long allocatedBefore;
        volatile long allocatedPerPacket = -1;
        volatile long written;

        StubTun(byte[] packet) {
            this.packet = packet;
        }

        @Override
        public String name() {
            return "tm-alloc";
        }

        @Override
        public int mtu() {
            return 1420;
        }

        @Override
        public int read(ByteBuffer[] packets) {
            if (reads == PACKETS) {
                allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            }
            if (reads == READS) {
                allocatedPerPacket = (THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore) / PACKETS;
                measured.countDown();
                return -1;
            }
            reads++;
            packets[0].clear();
            packets[0].put(packet).flip();
            return 1;
        }

        @Override
        public int write(ByteBuffer[] packets, int count) {
            written += count;
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
