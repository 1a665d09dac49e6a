package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.transport.Transport;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.List;

/**
 * One side of {@link PathWarmup}: the node's own packet classes ({@link TunReader}, {@link Egress},
 * {@link Ingress}, {@link TransportBindings}, {@link PeerTimers}) around an engine with a random key, a real
 * binding of the node's transport on a free port, and a {@link DiscardTun}. It knows one peer: the other warm-up
 * node.
 */
final class WarmupNode implements AutoCloseable {
    private static final int IPV6_HEADER = 40;
    private static final int ICMP = 1;
    private static final int UDP = 17;
    private static final int ICMPV6 = 58;
    /** This node's mesh addresses, IPv4 and IPv6: real traffic has both, so the compiled code expects both. */
    final byte[] meshV4;
    final byte[] meshV6;
    private final List<IpPrefix> meshPrefixes;
    final DiscardTun tun;
    private final StaticKeyPair identity;
    private final TunnelEngine engine;
    private final TransportBindings bindings;
    private final TunReader reader;
    private final Egress egress;
    private final PeerTimers timers;
    private final Thread answerThread;
    private NodePeer peer;
    private final ByteBuffer packet;
    private final CurrentPeerSet peers = new CurrentPeerSet();

    /** @param tunVariant which {@link DiscardTun#variant} this node writes to */
    WarmupNode(HandshakeService service, EngineOptions nodeOptions, Transport transport, String meshV4,
            String meshV6, int tunVariant) {
        this.meshPrefixes = List.of(IpPrefix.parse(meshV4 + "/32"), IpPrefix.parse(meshV6 + "/128"));
        this.meshV4 = meshPrefixes.get(0).address().getAddress();
        this.meshV6 = meshPrefixes.get(1).address().getAddress();
        this.identity = randomIdentity();
        this.engine = service.newEngine(new EngineOptions(identity, nodeOptions.meshKey(), nodeOptions.wallClock(),
                nodeOptions.mtu()));
        this.tun = DiscardTun.variant(tunVariant, nodeOptions.mtu());
        DropCounters drops = new DropCounters();
        Faults faults = new Faults(NodeLog.SILENT);
        this.bindings = new TransportBindings(0, NodeLog.SILENT);
        this.egress = new Egress(bindings, drops);
        this.reader = new TunReader(tun, peers, egress, drops, faults);
        // The device's answers go through a reader of its own, with its own thread for what the receive path
        // leaves, as in the node: the warm-up thread calls this.reader directly, without the lock a reader's
        // thread takes, so the two must not share buffers.
        TunReader answers = new TunReader(tun, peers, egress, drops, faults);
        this.answerThread = Thread.ofPlatform().name("tm-warmup-tun").daemon().start(answers);
        this.timers = new PeerTimers(peers, egress, () -> { }, faults);
        bindings.open(new Ingress(tun, answers, peers, egress, drops, faults, NodeLog.SILENT));
        bindings.offer(transport, Endpoint.UDP);
        this.packet = ByteBuffer.allocateDirect(nodeOptions.mtu());
    }

    boolean isBound() {
        return bindings.udpPort() > 0;
    }

    NodeKey key() {
        return identity.publicKey();
    }

    /** Where the other node sends: this binding's port on loopback (or its own address, when it has one). */
    InetSocketAddress underlay() {
        InetSocketAddress bound = bindings.binding(Endpoint.UDP).localAddress();
        InetAddress host = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
        return new InetSocketAddress(host, bound.getPort());
    }

    /** Makes {@code other} this node's one peer, in place of the one before. */
    void introduce(WarmupNode other) {
        introduce(other, true);
    }

    /**
     * Makes {@code other} this node's one peer, in place of the one before; without {@code ipv6} only its IPv4
     * address is routed to it (and accepted from it), so this node has no IPv6 route at all, as a node whose
     * peers have IPv4 addresses only.
     */
    void introduce(WarmupNode other, boolean ipv6) {
        if (peer != null) {
            engine.removePeer(peer.config().publicKey());
        }
        List<IpPrefix> routed = ipv6 ? other.meshPrefixes : other.meshPrefixes.subList(0, 1);
        peer = new NodePeer(new PeerConfig(other.key(), Endpoint.udp(other.underlay()), routed, 0));
        peer.attach(engine.addPeer(other.key(), 0));
        peers.set(PeerSet.of(engine, List.of(peer)));
    }

    /**
     * Does what the node's timer thread does at {@code nowNanos}: polls the peer if it is due (a keepalive, a
     * retransmission, a rekey) and sends what that gives. The engine takes time as an argument, so the warm-up can
     * ask for what is due seconds from now.
     */
    void runTimers(long nowNanos) {
        timers.pollDue(nowNanos);
        egress.flush();
    }

    /** Bytes this node's engine has authenticated from its peer, keepalives included. */
    long receivedBytes() {
        return peer.tunnel().stats().rxBytes();
    }

    /**
     * Sends one IP packet of {@code size} bytes to {@code destination} (4 or 16 bytes; the source is this node's
     * address of the same family) through the whole transmit path.
     */
    void send(byte[] destination, int size) {
        queue(destination, size);
        flush();
    }

    /**
     * Sends an ICMP echo request (a ping: 84 bytes over IPv4, 104 over IPv6) to {@code destination}; the other
     * node's device answers it, and the answer comes back here.
     */
    void ping(byte[] destination) {
        boolean v4 = destination.length == 4;
        build(destination, v4 ? 84 : 104, v4 ? ICMP : ICMPV6);
        packet.put(v4 ? 20 : IPV6_HEADER, (byte) (v4 ? 8 : 128));
        reader.route(packet, System.nanoTime());
        flush();
    }

    /** Routes and seals one packet like {@link #send}, but leaves it queued on the transport until {@link #flush}. */
    void queue(byte[] destination, int size) {
        build(destination, size, UDP);
        reader.route(packet, System.nanoTime());
    }

    /** An IP packet of {@code size} bytes from this node to {@code destination}, zeros after the IP header. */
    private void build(byte[] destination, int size, int protocol) {
        packet.clear();
        for (int i = 0; i < IPV6_HEADER + 8; i++) {
            packet.put(i, (byte) 0);
        }
        if (destination.length == 4) {
            packet.put(0, (byte) 0x45);
            packet.putShort(2, (short) size);
            packet.put(8, (byte) 64);
            packet.put(9, (byte) protocol);
            packet.put(12, meshV4);
            packet.put(16, destination);
        } else {
            packet.put(0, (byte) 0x60);
            packet.putShort(4, (short) (size - IPV6_HEADER));
            packet.put(6, (byte) protocol);
            packet.put(7, (byte) 64);
            packet.put(8, meshV6);
            packet.put(24, destination);
        }
        packet.limit(size);
    }

    /** Sends what {@link #queue} left, as the node's TUN reader does after each batch it read. */
    void flush() {
        egress.flush();
    }

    @Override
    public void close() {
        tun.close();
        bindings.closeAll();
        engine.close();
        identity.destroy();
        try {
            answerThread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static StaticKeyPair randomIdentity() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] secret = ((XECPrivateKey) pair.getPrivate()).getScalar().orElseThrow();
            BigInteger u = ((XECPublicKey) pair.getPublic()).getU();
            byte[] big = u.toByteArray();
            byte[] little = new byte[32];
            for (int i = 0; i < 32 && i < big.length; i++) {
                little[i] = big[big.length - 1 - i];
            }
            return new StaticKeyPair(secret, NodeKey.of(little));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no X25519 key generator", e);
        }
    }
}
