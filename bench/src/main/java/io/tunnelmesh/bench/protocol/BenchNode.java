package io.tunnelmesh.bench.protocol;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.SocketEndpoint;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.cipher.internal.ChaCha20Poly1305Cipher;
import io.tunnelmesh.handshake.internal.WireGuardHandshakeService;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** One engine built the way the node builds it: handshake service + JCE packet cipher service. */
final class BenchNode {
    final TunnelEngine engine;
    final NodeKey key;
    final BenchEndpoint address;
    /** A wall clock that moves one second per reading, so every initiation has a newer timestamp. */
    private long seconds = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    BenchNode(int n) {
        byte[] priv = new byte[32];
        new SecureRandom().nextBytes(priv);
        byte[] pub = new byte[32];
        X25519.generatePublicKey(priv, 0, pub, 0);
        key = NodeKey.of(pub);
        InstantSource clock = () -> Instant.ofEpochSecond(seconds++);
        byte[] psk = new byte[32];
        psk[0] = 1;
        engine = new WireGuardHandshakeService(new ChaCha20Poly1305Cipher())
                .newEngine(new EngineOptions(new StaticKeyPair(priv, key), PresharedKey.of(psk), clock));
        address = new BenchEndpoint(new InetSocketAddress("192.0.2." + n, 51820));
    }

    /** Where the engine sees a datagram come from, with UDP's bytes for cookies and rate limits. */
    record BenchEndpoint(InetSocketAddress address) implements SocketEndpoint {
        @Override
        public String transport() {
            return "udp";
        }

        @Override
        public String toString() {
            return "udp:" + address.getHostString() + ":" + address.getPort();
        }
    }
}
