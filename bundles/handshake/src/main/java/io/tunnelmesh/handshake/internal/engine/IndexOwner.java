package io.tunnelmesh.handshake.internal.engine;

/** What a receiver index names: a pending handshake or a keypair, each belonging to one peer. */
interface IndexOwner {
    int localIndex();

    WireGuardPeer peer();
}
