package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.cipher.internal.ChaCha20Poly1305Cipher;
import io.tunnelmesh.handshake.internal.WireGuardHandshakeService;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** The real WireGuard engine and JCE cipher from the sibling bundles, built as their DS components would be. */
final class RealEngine {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RealEngine() {
    }

    static HandshakeService service() {
        return new WireGuardHandshakeService(new ChaCha20Poly1305Cipher());
    }

    static StaticKeyPair identity() {
        byte[] secret = new byte[32];
        X25519.generatePrivateKey(RANDOM, secret);
        byte[] pub = new byte[32];
        X25519.generatePublicKey(secret, 0, pub, 0);
        return new StaticKeyPair(secret, NodeKey.of(pub));
    }

    static PresharedKey psk() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return PresharedKey.of(raw);
    }

    static TestNode node(MemoryNetwork network, String host, String meshAddress, PresharedKey psk) {
        return new TestNode(network, host, 51820, meshAddress, identity(), psk, service());
    }
}
