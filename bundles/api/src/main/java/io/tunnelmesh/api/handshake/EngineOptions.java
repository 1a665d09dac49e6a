package io.tunnelmesh.api.handshake;

import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import java.time.InstantSource;

/**
 * @param identity  the local node's static key pair
 * @param meshKey   the mesh's pre-shared key, the IKpsk2 psk for every peer
 * @param wallClock source of TAI64N handshake timestamps (injected so tests can control it); protocol timers
 *                  use the monotonic {@code nowNanos} passed to each call instead
 */
public record EngineOptions(StaticKeyPair identity, PresharedKey meshKey, InstantSource wallClock) {
    public EngineOptions {
        if (identity == null || meshKey == null || wallClock == null) {
            throw new IllegalArgumentException("identity, meshKey and wallClock are required");
        }
    }
}
