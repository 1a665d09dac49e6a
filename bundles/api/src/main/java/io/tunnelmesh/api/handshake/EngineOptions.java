package io.tunnelmesh.api.handshake;

import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import java.time.InstantSource;

/**
 * @param identity  the local node's static key pair
 * @param meshKey   the mesh's pre-shared key, the IKpsk2 psk for every peer
 * @param wallClock source of TAI64N handshake timestamps (injected so tests can control it); protocol timers
 *                  use the monotonic {@code nowNanos} passed to each call instead
 * @param mtu       the tunnel interface MTU: data packets are zero-padded to a multiple of 16 but never beyond
 *                  it (WireGuard's rule); {@value #DEFAULT_MTU} unless the node configures another
 */
public record EngineOptions(StaticKeyPair identity, PresharedKey meshKey, InstantSource wallClock, int mtu) {
    /** wireguard-go's default interface MTU: 1500 minus 80 bytes of IPv6 + UDP + WireGuard overhead. */
    public static final int DEFAULT_MTU = 1420;
    public static final int MIN_MTU = 576;
    public static final int MAX_MTU = 65535;

    public EngineOptions {
        if (identity == null || meshKey == null || wallClock == null) {
            throw new IllegalArgumentException("identity, meshKey and wallClock are required");
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " is out of range: use " + MIN_MTU + ".." + MAX_MTU + " (default " + DEFAULT_MTU + ")");
        }
    }

    /** Options with the default MTU of {@value #DEFAULT_MTU}. */
    public EngineOptions(StaticKeyPair identity, PresharedKey meshKey, InstantSource wallClock) {
        this(identity, meshKey, wallClock, DEFAULT_MTU);
    }
}
