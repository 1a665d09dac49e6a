package io.tunnelmesh.handshake.internal.interop;

import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.handshake.internal.testing.TestEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The smallest I/O loop around a sans-IO engine with one peer: what a node does, minus the TUN device. */
final class UdpDriver implements AutoCloseable {
    final DatagramChannel udp;
    final TunnelEngine engine;
    final TunnelPeer peer;
    final InetSocketAddress peerEndpoint;
    final PacketOutcome outcome = new PacketOutcome();
    private final ByteBuffer out = ByteBuffer.allocate(2048);
    private final ByteBuffer in = ByteBuffer.allocate(2048);
    private final long start = System.nanoTime();

    UdpDriver(TunnelEngine engine, TunnelPeer peer, String bindIp, InetSocketAddress peerEndpoint) throws IOException {
        this.engine = engine;
        this.peer = peer;
        this.peerEndpoint = peerEndpoint;
        this.udp = DatagramChannel.open();
        udp.bind(new InetSocketAddress(bindIp, 0));
        udp.configureBlocking(false);
    }

    int port() throws IOException {
        return ((InetSocketAddress) udp.getLocalAddress()).getPort();
    }

    long now() {
        return System.nanoTime() - start;
    }

    void send(byte[] ipPacket) throws IOException {
        peer.encapsulate(ByteBuffer.wrap(ipPacket), out.clear(), now(), outcome);
        if (outcome.action() == Action.SEND_TO_PEER) {
            udp.send(out, peerEndpoint);
        }
    }

    /**
     * Runs the loop until a delivered IP packet matches {@code wanted} or the time is up.
     *
     * @return the matching packet, or null
     */
    byte[] runUntilDelivered(Predicate<byte[]> wanted, long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            long now = now();
            InetSocketAddress from = (InetSocketAddress) udp.receive(in.clear());
            if (from != null) {
                engine.receive(in.flip(), new TestEndpoint(from), out.clear(), now, outcome);
                if (outcome.action() == Action.DELIVER) {
                    byte[] ip = new byte[outcome.length()];
                    out.get(out.position(), ip);
                    if (wanted.test(ip)) {
                        return ip;
                    }
                } else if (outcome.action() == Action.SEND_TO_SOURCE) {
                    udp.send(out, from);
                }
            }
            if (peer.nextDeadlineNanos() <= now || (from != null && outcome.authenticated())) {
                for (peer.poll(out.clear(), now, outcome); outcome.action() == Action.SEND_TO_PEER; peer.poll(out.clear(), now, outcome)) {
                    udp.send(out, peerEndpoint);
                }
            }
            if (from == null) {
                Thread.sleep(2);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        udp.close();
    }
}
