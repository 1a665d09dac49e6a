package io.tunnelmesh.control;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.handshake.internal.noise.CipherState;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import io.tunnelmesh.handshake.internal.noise.NoiseException;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.noise.NoiseProtocol;
import java.security.SecureRandom;
import java.util.List;

/** Fresh X25519 key pairs and established session pairs for the tests. */
final class Keys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    static StaticKeyPair generate() {
        byte[] priv = NoiseDh.DH25519.generatePrivateKey(RANDOM);
        return new StaticKeyPair(priv, NodeKey.of(NoiseDh.DH25519.publicKey(priv)));
    }

    /** [node's session, coordinator's session] after a real handshake. */
    static ControlSession[] sessionPair() throws ControlProtocolException {
        StaticKeyPair node = generate();
        StaticKeyPair coordinator = generate();
        ControlHandshake.Initiation init = ControlHandshake.initiate(node, coordinator.publicKey(), new byte[0]);
        ControlHandshake.Reply reply = ControlHandshake.accept(coordinator, init.message()).reply(new byte[0]);
        return new ControlSession[] {init.finish(reply.message()).session(), reply.session()};
    }

    /** [initiator's {send, receive}, responder's {receive, send}] from a real Noise IK exchange. */
    static CipherState[][] splitPairs() throws NoiseException {
        StaticKeyPair i = generate();
        StaticKeyPair r = generate();
        NoiseProtocol protocol = NoiseProtocol.parse(ControlHandshake.PROTOCOL);
        NoiseHandshakeState initiator = new NoiseHandshakeState(protocol, true, ControlHandshake.PROLOGUE, i.privateKey(),
                i.publicKey().toBytes(), r.publicKey().toBytes(), List.of(), () -> protocol.dh().generatePrivateKey(RANDOM));
        NoiseHandshakeState responder = new NoiseHandshakeState(protocol, false, ControlHandshake.PROLOGUE, r.privateKey(),
                r.publicKey().toBytes(), null, List.of(), () -> protocol.dh().generatePrivateKey(RANDOM));
        byte[] m1 = initiator.writeMessage(new byte[0]);
        responder.readMessage(m1, 0, m1.length);
        byte[] m2 = responder.writeMessage(new byte[0]);
        initiator.readMessage(m2, 0, m2.length);
        return new CipherState[][] {initiator.split(), responder.split()};
    }

    /**
     * A session receiving from a peer that seals with the bare Noise cipher, so it can send frames of any content (no
     * continuation byte, a message past the limit) that a ControlSession never writes.
     */
    record ForgingPeer(CipherState send, ControlSession receiver) {
        /** The next authentic frame carrying plaintext as it is, the continuation byte included. */
        byte[] frame(byte[] plaintext) {
            try {
                return send.encryptWithAd(new byte[0], plaintext);
            } catch (NoiseException e) {
                throw new IllegalStateException("the forging peer cannot seal: " + e.getMessage(), e);
            }
        }
    }

    static ForgingPeer forgingPeer() throws NoiseException {
        CipherState[][] pairs = splitPairs();
        return new ForgingPeer(pairs[1][1], new ControlSession(pairs[0][0], pairs[0][1]));
    }
}
