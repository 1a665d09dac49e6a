package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.api.cipher.PacketCipher;
import io.tunnelmesh.handshake.internal.wireguard.WireGuardNoise;
import java.security.SecureRandom;
import java.time.InstantSource;

/** What every peer of one engine shares. */
record EngineContext(WireGuardNoise.LocalStatic local, byte[] psk, PacketCipher cipher, IndexTable indices, SecureRandom random,
                     InstantSource wallClock, int mtu, DropCounters drops) {

    byte[] newEphemeral() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    long jitter() {
        synchronized (random) {
            return (long) (random.nextDouble() * ProtocolTimes.MAX_JITTER);
        }
    }
}
