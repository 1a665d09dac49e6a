package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;
import java.nio.file.Path;

/** Signer → complete {@link NodeIdentity}: derived key pair, pin check, binding. Used by both key sources. */
public final class IdentityDerivation {
    private IdentityDerivation() {
    }

    /** @param pinFile where the derived public key is pinned, or null to skip pinning */
    public static NodeIdentity derive(SshSigner signer, Path pinFile) throws KeySourceException {
        SshPublicKey key = signer.publicKey();
        StaticKeyPair pair = StaticKeyDerivation.derive(signer);
        try {
            if (pinFile != null) {
                PinnedKey.checkOrCreate(pinFile, pair.publicKey(), key.fingerprint(), signer.describe());
            }
            byte[] binding = IdentityBinding.sign(signer, pair.publicKey());
            return new NodeIdentity(pair, key.blob(), key.fingerprint(), binding);
        } catch (KeySourceException e) {
            pair.destroy();
            throw e;
        }
    }
}
