package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.util.function.BooleanSupplier;

/**
 * Runs a throwaway pair of engines from the node's handshake service through a handshake and a few thousand
 * packets, so the JIT has compiled the packet path before the first real packet. Without it an idle ping
 * is interpreted for minutes: at 20 pings a second the seal and open code needs thousands of calls to be
 * compiled, and a first ping took 2 ms where wireguard-go takes 0.4 (see docs/PERFORMANCE.md). The engines
 * have their own random keys, talk only to each other in memory and are closed (keys wiped) afterwards; the
 * node's engine, peers and counters are untouched.
 */
final class EngineWarmup {
    /** Enough calls for C2 to compile the seal and open paths (its thresholds are a few thousand). */
    static final int ROUND_TRIPS = 12_000;
    /** A slow machine stops early rather than keep a core busy. */
    static final long BUDGET_NANOS = 3_000_000_000L;

    private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 51820);
    private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 51820);

    private final HandshakeService service;
    private final EngineOptions options;
    private final ByteBuffer packet;
    private final ByteBuffer wire = ByteBuffer.allocateDirect(PacketBuffers.CAPACITY);
    private final ByteBuffer plain = ByteBuffer.allocateDirect(PacketBuffers.CAPACITY);
    private final PacketOutcome outcome = new PacketOutcome();

    EngineWarmup(HandshakeService service, EngineOptions nodeOptions) {
        this.service = service;
        this.options = nodeOptions;
        this.packet = ByteBuffer.allocateDirect(nodeOptions.mtu());
    }

    /** @return round trips made (0 when the engine could not be warmed; the node works anyway, only slower at first) */
    int run(BooleanSupplier cancelled) {
        StaticKeyPair idA = randomIdentity();
        StaticKeyPair idB = randomIdentity();
        try (TunnelEngine a = service.newEngine(new EngineOptions(idA, options.meshKey(), options.wallClock(), options.mtu()));
             TunnelEngine b = service.newEngine(new EngineOptions(idB, options.meshKey(), options.wallClock(), options.mtu()))) {
            TunnelPeer aToB = a.addPeer(idB.publicKey(), 0);
            TunnelPeer bToA = b.addPeer(idA.publicKey(), 0);
            if (!handshake(a, aToB, b)) {
                return 0;
            }
            long deadline = System.nanoTime() + BUDGET_NANOS;
            int done = 0;
            while (done < ROUND_TRIPS && !cancelled.getAsBoolean() && System.nanoTime() - deadline < 0) {
                // small (ping) and full-size (bulk) packets, the two shapes the node moves
                int size = (done & 1) == 0 ? 84 : options.mtu();
                if (!carry(aToB, b, A, size) || !carry(bToA, a, B, size)) {
                    return done;
                }
                done++;
            }
            return done;
        } finally {
            idA.destroy();
            idB.destroy();
        }
    }

    /** A's first packet queues and starts the handshake; B answers; A then releases the packet. */
    private boolean handshake(TunnelEngine a, TunnelPeer aToB, TunnelEngine b) {
        long now = System.nanoTime();
        fill(84);
        wire.clear();
        aToB.encapsulate(packet, wire, now, outcome);
        if (outcome.action() != PacketOutcome.Action.SEND_TO_PEER) {
            return false;
        }
        plain.clear();
        b.receive(wire, A, plain, now, outcome);
        if (outcome.action() != PacketOutcome.Action.SEND_TO_SOURCE) {
            return false;
        }
        wire.clear();
        a.receive(plain, B, wire, now, outcome);
        if (!outcome.authenticated()) {
            return false;
        }
        wire.clear();
        aToB.poll(wire, now, outcome); // the queued first packet, which also confirms the session to B
        if (outcome.action() != PacketOutcome.Action.SEND_TO_PEER) {
            return false;
        }
        plain.clear();
        b.receive(wire, A, plain, now, outcome);
        return outcome.action() == PacketOutcome.Action.DELIVER;
    }

    /** Seals one packet at {@code from} and opens it at {@code to}. */
    private boolean carry(TunnelPeer from, TunnelEngine to, InetSocketAddress source, int size) {
        long now = System.nanoTime();
        fill(size);
        wire.clear();
        from.encapsulate(packet, wire, now, outcome);
        if (outcome.action() != PacketOutcome.Action.SEND_TO_PEER) {
            return false;
        }
        plain.clear();
        to.receive(wire, source, plain, now, outcome);
        return outcome.action() == PacketOutcome.Action.DELIVER;
    }

    /** An IPv4 header that claims {@code size} bytes (the engine pads and seals any bytes; only the length matters to it). */
    private void fill(int size) {
        packet.clear();
        packet.put(0, (byte) 0x45);
        packet.putShort(2, (short) size);
        packet.limit(size);
    }

    private static StaticKeyPair randomIdentity() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] secret = ((XECPrivateKey) pair.getPrivate()).getScalar().orElseThrow();
            return new StaticKeyPair(secret, NodeKey.of(littleEndian(((XECPublicKey) pair.getPublic()).getU())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no X25519 key generator", e);
        }
    }

    private static byte[] littleEndian(BigInteger u) {
        byte[] big = u.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < big.length; i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }
}
