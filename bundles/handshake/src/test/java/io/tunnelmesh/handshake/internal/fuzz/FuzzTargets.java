package io.tunnelmesh.handshake.internal.fuzz;

import io.tunnelmesh.handshake.internal.testing.TestEndpoint;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.cipher.internal.ChaCha20Poly1305Cipher;
import io.tunnelmesh.handshake.internal.engine.WireGuardEngine;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import io.tunnelmesh.handshake.internal.noise.NoiseException;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.wireguard.CookieGenerator;
import io.tunnelmesh.handshake.internal.wireguard.HandshakeInitiation;
import io.tunnelmesh.handshake.internal.wireguard.HandshakeResponse;
import io.tunnelmesh.handshake.internal.wireguard.ReplayWindow;
import io.tunnelmesh.handshake.internal.wireguard.Tai64n;
import io.tunnelmesh.handshake.internal.wireguard.TransportHeader;
import io.tunnelmesh.handshake.internal.wireguard.WireGuardNoise;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What both fuzzers attack: two real engines with an established session (so every message type reaches its
 * deep path), valid seed messages of each type, and the stand-alone parsers. Any exception escaping from here
 * is a finding.
 */
public final class FuzzTargets {
    public final WireGuardEngine alice;
    public final WireGuardEngine bob;
    public final NodeKey aliceKey;
    public final NodeKey bobKey;
    public final TestEndpoint aliceAddress = TestEndpoint.of("192.0.2.1", 51820);
    /** Valid datagrams as bob would receive them: initiation, response, cookie reply, data, keepalive. */
    public final List<byte[]> seeds = new ArrayList<>();
    private final PacketOutcome outcome = new PacketOutcome();
    private final ByteBuffer out = ByteBuffer.allocate(70_000);
    private final NoiseDh dh = NoiseDh.DH25519;
    private long now = 1_000_000_000L;

    public FuzzTargets() {
        byte[] psk = new byte[32];
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        SecureRandom r = new SecureRandom();
        r.nextBytes(a);
        r.nextBytes(b);
        aliceKey = NodeKey.of(dh.publicKey(a));
        bobKey = NodeKey.of(dh.publicKey(b));
        alice = new WireGuardEngine(new EngineOptions(new StaticKeyPair(a, aliceKey), PresharedKey.of(psk), Instant::now), new ChaCha20Poly1305Cipher(), r);
        bob = new WireGuardEngine(new EngineOptions(new StaticKeyPair(b, bobKey), PresharedKey.of(psk), Instant::now), new ChaCha20Poly1305Cipher(), r);
        TunnelPeer toBob = alice.addPeer(bobKey, 0);
        bob.addPeer(aliceKey, 0);
        byte[] ip = new byte[60];
        ip[0] = 0x45;
        ip[3] = 60;
        toBob.encapsulate(ByteBuffer.wrap(ip), out.clear(), now, outcome);
        byte[] initiation = copyOut();
        seeds.add(initiation);
        bob.receive(ByteBuffer.wrap(initiation), aliceAddress, out.clear(), now, outcome);
        byte[] response = copyOut();
        seeds.add(response);
        bob.setUnderLoad(true);
        toBob.requestHandshake();
        toBob.poll(out.clear(), now + 6_000_000_000L, outcome);
        bob.receive(ByteBuffer.wrap(copyOut()), aliceAddress, out.clear(), now, outcome);
        seeds.add(copyOut()); // a cookie reply (what alice would receive; bob sees it as an unknown index)
        bob.setUnderLoad(false);
        alice.receive(ByteBuffer.wrap(response), TestEndpoint.of("192.0.2.2", 51820), out.clear(), now, outcome);
        toBob.poll(out.clear(), now, outcome);
        seeds.add(copyOut()); // data
        toBob.encapsulate(ByteBuffer.allocate(0), out.clear(), now, outcome);
        seeds.add(copyOut()); // keepalive
    }

    private byte[] copyOut() {
        byte[] d = new byte[out.limit() - out.position()];
        out.get(out.position(), d);
        return d;
    }

    /**
     * Feeds one datagram to bob (normally and under load) and to alice.
     *
     * @return whether bob's normal receive accepted it as authentic or delivered something
     */
    public boolean receive(byte[] datagram) {
        now += 1_000_000L;
        bob.setUnderLoad(false);
        bob.receive(ByteBuffer.wrap(datagram), aliceAddress, out.clear(), now, outcome);
        boolean accepted = outcome.authenticated() || outcome.action() == PacketOutcome.Action.DELIVER;
        bob.setUnderLoad(true);
        bob.receive(ByteBuffer.wrap(datagram), aliceAddress, out.clear(), now, outcome);
        bob.setUnderLoad(false);
        alice.receive(ByteBuffer.wrap(datagram), aliceAddress, out.clear(), now, outcome);
        return accepted;
    }

    /** The parsers and primitives on their own, with whatever bytes come. */
    public void parsers(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (data.length >= 16) {
            TransportHeader.receiverIndex(b, 0);
            TransportHeader.counter(b, 0);
        }
        if (data.length == HandshakeInitiation.LENGTH) {
            HandshakeInitiation.senderIndex(data);
        }
        if (data.length == HandshakeResponse.LENGTH) {
            HandshakeResponse.receiverIndex(data);
        }
        if (data.length >= 12) {
            Tai64n.isAfter(Arrays.copyOf(data, 12), Tai64n.of(Instant.EPOCH));
        }
        ReplayWindow w = new ReplayWindow();
        for (int i = 0; i + 8 <= data.length && i < 64; i += 8) {
            w.accept(b.getLong(i));
        }
        if (data.length == 64) {
            new CookieGenerator(bobKey.toBytes()).consumeCookieReply(data, now);
        }
        byte[] priv = new byte[32];
        NoiseHandshakeState responder = WireGuardNoise.responder(new WireGuardNoise.LocalStatic(priv, dh.publicKey(priv)), new byte[32], () -> new byte[32]);
        try {
            responder.readMessage(data, 0, data.length);
        } catch (NoiseException expected) {
            // refusing is the right answer for garbage
        }
    }
}
