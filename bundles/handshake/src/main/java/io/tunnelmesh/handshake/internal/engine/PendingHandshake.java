package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;

/** Our initiation waiting for its response; named by the sender index we put in the initiation. */
record PendingHandshake(WireGuardPeer peer, int localIndex, NoiseHandshakeState noise) implements IndexOwner {
}
