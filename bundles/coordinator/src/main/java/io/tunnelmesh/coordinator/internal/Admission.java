package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.AdmissionRequest;
import io.tunnelmesh.api.coordinator.CoordinatorStore;
import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.ssh.internal.IdentityBinding;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshWire;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;

/**
 * Decides a {@code join} hello, on a store thread: by token (the store checks and consumes it) or, without
 * one, by SSH key (listed in authorized_keys and proven by the binding signature over the node's X25519 key,
 * which the Noise handshake already proved the node holds). An SSH key is recorded only with a valid binding,
 * so {@code tm:nodes} never shows a fingerprint the node could merely claim.
 */
final class Admission {
    private final CoordinatorStore store;
    private final AuthorizedKeys authorizedKeys;
    private final InstantSource clock;

    Admission(CoordinatorStore store, AuthorizedKeys authorizedKeys, InstantSource clock) {
        this.store = store;
        this.authorizedKeys = authorizedKeys;
        this.clock = clock;
    }

    /** @return the committed record: the node may be told "yes" */
    NodeRecord join(NodeKey key, Hello hello, List<String> endpoints) throws Refusal, AdmissionException, IOException {
        boolean explicit = hello.name() != null;
        String name = explicit ? NodeNames.explicit(hello.name()) : NodeNames.fromHostname(hello.hostname());
        SshIdentity ssh = SshIdentity.of(key, hello);
        String tokenId = hello.tokenId();
        byte[] secretHash = null;
        if (tokenId != null) {
            secretHash = sha256(secret(hello.tokenSecret()));
        } else if (store.node(key).isEmpty()) {
            checkSshAdmission(ssh);
        }
        AdmissionRequest request = new AdmissionRequest(key, tokenId, secretHash, name, explicit,
                ssh == null ? null : ssh.key().blob(), ssh == null ? null : ssh.key().fingerprint(),
                ssh == null ? null : ssh.binding(), endpoints);
        return store.admit(request, clock.instant());
    }

    private void checkSshAdmission(SshIdentity ssh) throws Refusal {
        if (ssh == null) {
            throw new Refusal(Refusal.NOT_ADMITTED, "no token secret and no SSH key binding: join with a token"
                    + " (tm:token-create on the coordinator), or init with an SSH key listed in the coordinator's "
                    + authorizedKeys.file().getFileName());
        }
        if (authorizedKeys.lookup(ssh.key().blob()).isEmpty()) {
            throw new Refusal(Refusal.NOT_ADMITTED, "SSH key " + ssh.key().fingerprint() + " is not in the coordinator's "
                    + authorizedKeys.file().getFileName() + ": add it there, or join with a token");
        }
    }

    private static byte[] secret(String tokenSecret) throws Refusal {
        if (tokenSecret == null) {
            throw new Refusal(Refusal.BAD_HELLO, "the hello names a token but carries no secret");
        }
        try {
            byte[] secret = Base64.getUrlDecoder().decode(tokenSecret);
            if (secret.length == 32) {
                return secret;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new Refusal(Refusal.BAD_HELLO, "the token secret is not 32 bytes of base64url: copy the whole token again");
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The node's SSH key with a binding that verifies, or null when the hello carries none. */
    record SshIdentity(SshPublicKey key, byte[] binding) {
        static SshIdentity of(NodeKey nodeKey, Hello hello) throws Refusal {
            if (hello.sshPublicKey() == null || hello.binding() == null) {
                return null;
            }
            SshPublicKey key;
            byte[] binding;
            try {
                key = SshPublicKey.of(Base64.getDecoder().decode(hello.sshPublicKey()));
                binding = Base64.getDecoder().decode(hello.binding());
            } catch (IllegalArgumentException | SshWire.MalformedException e) {
                throw new Refusal(Refusal.BAD_HELLO, "the hello's sshPublicKey or binding is not valid base64 of an SSH key / SSHSIG");
            }
            if (!IdentityBinding.verify(key.blob(), nodeKey, binding)) {
                throw new Refusal(Refusal.NOT_ADMITTED, "the binding is not a valid signature by SSH key " + key.fingerprint()
                        + " over this node's key: run `tunnelmesh init` again with that SSH key");
            }
            return new SshIdentity(key, binding);
        }
    }
}
