package io.tunnelmesh.api.handshake;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The handshake concern: makes sans-IO protocol engines speaking WireGuard's protocol
 * ({@code Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s} handshakes, ChaCha20-Poly1305 transport data, cookies,
 * timers). An engine does no I/O and starts no threads: it takes bytes and the time and says what to send
 * where, so the node owns sockets, the TUN device and the clock.
 */
@ProviderType
public interface HandshakeService {
    /** Creates the protocol state of one local node. */
    TunnelEngine newEngine(EngineOptions options);
}
