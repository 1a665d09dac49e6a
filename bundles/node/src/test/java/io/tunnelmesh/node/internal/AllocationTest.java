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
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's own share of the packet path allocates nothing: both directions are driven on this thread with
 * an engine, a transport and a TUN device that allocate nothing themselves, and the thread's allocation
 * counter is read before and after.
 */
class AllocationTest {
    private static final int PACKETS = 200_000;
    private static final StubEndpoint PEER_ADDRESS = new StubEndpoint("192.0.2.2:51820");

    @Test
    void routingSealingOpeningAndDeliveringAllocateNothingPerPacket() {
        byte[] raw = new byte[32];
        raw[0] = 1;
        NodeKey peerKey = NodeKey.of(raw);
        StubEngine engine = new StubEngine(peerKey);
        StubBinding binding = new StubBinding();
        StubTun tun = new StubTun();
        NodeSettings settings = new NodeSettings("tm-alloc", List.of(), 51820, 1420, null);
        DataPlane plane = new DataPlane(settings, new EngineOptions(new StaticKeyPair(new byte[32], NodeKey.of(new byte[32])),
                PresharedKey.none(), InstantSource.system()), tun, ComponentLog.SILENT);
        plane.offerTransport(new TransportBindings.Offer(new StubTransport(binding), "stub", 0, 1));
        plane.start(); // its TUN reader thread ends at once (the stub device reads -1): this thread drives route()
        plane.useHandshakeService(options -> engine);
        plane.putPeer(new PeerConfig(peerKey, List.of(EndpointSpec.parse(PEER_ADDRESS.toString())), List.of(IpPrefix.parse("10.99.0.2/32")), 0));

        TunReader reader = plane.tunReader();
        Ingress ingress = plane.ingress();
        ByteBuffer packet = ByteBuffer.allocateDirect(1500);
        byte[] ip = Packets.ipv4("10.99.0.1", "10.99.0.2", new byte[1000]);
        byte[] incoming = Packets.ipv4("10.99.0.2", "10.99.0.1", new byte[1000]);
        ByteBuffer datagram = ByteBuffer.allocateDirect(1500);
        datagram.put(incoming).flip();

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int round = 0; round < 2; round++) { // the first round lets the JIT settle (escape analysis)
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < PACKETS; i++) {
                packet.clear();
                packet.put(ip).flip();
                reader.route(packet, System.nanoTime());
                datagram.rewind();
                ingress.receive(datagram, PEER_ADDRESS, binding, System.nanoTime());
            }
            long perPacket = (threads.getThreadAllocatedBytes(id) - before) / PACKETS;
            if (round == 1) {
                assertEquals(0, perPacket, "bytes allocated per packet (both directions)");
            }
        }
        assertEquals(2L * PACKETS, binding.sent);
        assertEquals(2L * PACKETS, tun.written);
        assertTrue(plane.status("t").drops().isEmpty(), plane.status("t").drops().toString());
        plane.close();
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

    private static final class StubBinding implements TransportBinding {
        long sent;

        @Override
        public String transportName() {
            return "stub";
        }

        @Override
        public int listenPort() {
            return 51820;
        }

        @Override
        public boolean send(ByteBuffer datagram, Endpoint destination) {
            sent++;
            return true;
        }

        @Override
        public void flush() {
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

    private record StubTransport(StubBinding binding) implements Transport {
        @Override
        public String name() {
            return "stub";
        }

        @Override
        public Endpoint parseEndpoint(String address) {
            return new StubEndpoint(address);
        }

        @Override
        public TransportBinding bind(TransportOptions options, DatagramReceiver receiver) {
            return binding;
        }
    }

    private static final class StubTun implements TunDevice {
        long written;

        @Override
        public String name() {
            return "tm-alloc";
        }

        @Override
        public int mtu() {
            return 1420;
        }

        @Override
        public int read(ByteBuffer dst) {
            return -1;
        }

        @Override
        public void write(ByteBuffer packet) {
            written++;
            packet.position(packet.limit());
        }

        @Override
        public void close() {
        }
    }
}
