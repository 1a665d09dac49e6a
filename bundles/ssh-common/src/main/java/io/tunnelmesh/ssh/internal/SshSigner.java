package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.identity.KeySourceException;

/** Something that holds an SSH private key and signs with it: a key file in memory, or an ssh-agent. */
public interface SshSigner {
    SshPublicKey publicKey();

    /** Never secret: a path or {@code ssh-agent key SHA256:…}, used to name the key in messages. */
    String describe();

    /**
     * Signs {@code data} with the algorithm {@link SshKeyType#signatureAlgorithm()} of the key's type.
     *
     * @return the SSH signature blob {@code string algorithm ‖ string signature}
     */
    byte[] sign(byte[] data) throws KeySourceException;
}
