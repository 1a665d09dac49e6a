package io.tunnelmesh.api.identity;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;

/**
 * A node's static identity: its X25519 key pair, and the SSH key it was derived from together with a
 * binding signature that lets others check that the mesh key belongs to that SSH key.
 *
 * @param keyPair        the static X25519 key pair used by the handshake
 * @param sshPublicKey   the SSH public key in its wire encoding (string type ‖ key data)
 * @param sshFingerprint {@code SHA256:…} as {@code ssh-keygen -l} prints it
 * @param binding        SSHSIG signature (namespace {@code tunnelmesh-binding-v1}) over the X25519 public key
 */
public record NodeIdentity(StaticKeyPair keyPair, byte[] sshPublicKey, String sshFingerprint, byte[] binding) {
    public NodeKey publicKey() {
        return keyPair.publicKey();
    }

    @Override
    public String toString() {
        return "NodeIdentity[" + keyPair.publicKey() + ", " + sshFingerprint + "]";
    }
}
