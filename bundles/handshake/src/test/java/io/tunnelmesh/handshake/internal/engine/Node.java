package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.handshake.internal.testing.TestEndpoint;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.cipher.internal.ChaCha20Poly1305Cipher;
import io.tunnelmesh.handshake.internal.WireGuardHandshakeService;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;

/** A test node: a real engine with the real JCE cipher, a settable wall clock and one reusable outcome. */
final class Node {
    final String name;
    final TunnelEngine engine;
    final NodeKey key;
    final TestEndpoint address;
    final PacketOutcome outcome = new PacketOutcome();
    final ByteBuffer out = ByteBuffer.allocate(2048);
    Instant wallTime = Instant.parse("2026-01-01T00:00:00Z");

    Node(String name, int port, byte[] psk) {
        this(name, port, psk, EngineOptions.DEFAULT_MTU);
    }

    Node(String name, int port, byte[] psk, int mtu) {
        this.name = name;
        byte[] priv = new byte[32];
        new SecureRandom().nextBytes(priv);
        this.key = NodeKey.of(NoiseDh.DH25519.publicKey(priv));
        InstantSource clock = () -> wallTime;
        // Built the way the node gets it: the DS component, given the JCE packet cipher service.
        this.engine = new WireGuardHandshakeService(new ChaCha20Poly1305Cipher())
                .newEngine(new EngineOptions(new StaticKeyPair(priv, key), PresharedKey.of(psk), clock, mtu));
        this.address = TestEndpoint.of("10.0.0." + port, 51820 + port);
    }

    TunnelPeer peer(Node other) {
        return engine.peer(other.key);
    }

    /** The bytes of the last output (a datagram to send or a packet to deliver). */
    byte[] output() {
        return Arrays.copyOfRange(out.array(), out.position(), out.limit());
    }

    PacketOutcome receive(byte[] datagram, TestEndpoint from, long now) {
        out.clear();
        engine.receive(ByteBuffer.wrap(datagram), from, out, now, outcome);
        return outcome;
    }

    PacketOutcome encapsulate(Node to, byte[] ipPacket, long now) {
        out.clear();
        peer(to).encapsulate(ByteBuffer.wrap(ipPacket), out, now, outcome);
        return outcome;
    }

    PacketOutcome poll(Node other, long now) {
        out.clear();
        peer(other).poll(out, now, outcome);
        return outcome;
    }

    /** A minimal IPv4 packet of {@code length} bytes (the engine trims by the IP total length). */
    static byte[] ipPacket(int length, int marker) {
        byte[] p = new byte[length];
        p[0] = 0x45;
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        for (int i = 20; i < length; i++) {
            p[i] = (byte) (marker + i);
        }
        return p;
    }
}
