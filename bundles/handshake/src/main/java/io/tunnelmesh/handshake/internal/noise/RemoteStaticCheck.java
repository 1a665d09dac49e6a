package io.tunnelmesh.handshake.internal.noise;

/**
 * Called by a responder as soon as the initiator's static key has been decrypted, before any DH with it: lets
 * the caller refuse unknown keys cheaply and supply a precomputed {@code ss} value (WireGuard keeps DH(s, rs)
 * per peer, which saves one scalar multiplication per handshake).
 */
@FunctionalInterface
public interface RemoteStaticCheck {
    /**
     * @return the precomputed DH(local static, remote static), or null to compute it
     * @throws NoiseException to reject the remote key
     */
    byte[] accept(byte[] remoteStaticPublic) throws NoiseException;
}
