package io.tunnelmesh.control;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.security.SecureRandom;

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
}
