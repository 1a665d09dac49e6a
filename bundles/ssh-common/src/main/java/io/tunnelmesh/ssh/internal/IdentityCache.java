package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.identity.NodeIdentity;

/**
 * Holds a key source's identity once derived, so the SSH key (and a passphrase prompt or agent confirmation) is
 * used once per activation; {@link #clear()} wipes the private key when the component goes away.
 */
public final class IdentityCache {
    /** Derives the identity; called at most once until {@link #clear()}. */
    @FunctionalInterface
    public interface Derivation {
        NodeIdentity derive() throws KeySourceException;
    }

    private NodeIdentity identity;

    public synchronized NodeIdentity get(Derivation derivation) throws KeySourceException {
        if (identity == null) {
            identity = derivation.derive();
        }
        return identity;
    }

    public synchronized void clear() {
        if (identity != null) {
            identity.keyPair().destroy();
            identity = null;
        }
    }
}
