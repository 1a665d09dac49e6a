package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.NodeIdentity;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** Fresh X25519 key pairs and node identities for tests (the SSH parts are placeholders: no coordinator here checks them). */
final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    static StaticKeyPair keyPair() {
        byte[] priv = new byte[32];
        X25519.generatePrivateKey(RANDOM, priv);
        byte[] pub = new byte[32];
        X25519.generatePublicKey(priv, 0, pub, 0);
        return new StaticKeyPair(priv, NodeKey.of(pub));
    }

    static NodeIdentity identity() {
        return new NodeIdentity(keyPair(), "ssh-ed25519 test wire bytes".getBytes(StandardCharsets.US_ASCII),
                "SHA256:testfingerprint", "binding signature".getBytes(StandardCharsets.US_ASCII));
    }

    static KeySource source(NodeIdentity identity) {
        return new KeySource() {
            @Override
            public String describe() {
                return "test";
            }

            @Override
            public NodeIdentity identity() {
                return identity;
            }
        };
    }
}
