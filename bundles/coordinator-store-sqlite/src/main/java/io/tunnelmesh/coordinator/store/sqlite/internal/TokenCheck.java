package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.coordinator.AdmissionException.Reason;
import io.tunnelmesh.api.coordinator.AdmissionException;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/** Whether a token may admit a new node now; each refusal is one line the operator can act on. */
final class TokenCheck {
    private TokenCheck() {
    }

    /**
     * @param token  the stored token with the presented id, if any
     * @param banned true when this key was removed from the mesh after joining with this token
     */
    static void check(String id, Optional<TokenRecord> token, byte[] presentedHash, boolean banned, Instant now)
            throws AdmissionException {
        // an unknown id and a wrong secret read the same, so the answer tells a guesser nothing
        if (token.isEmpty() || presentedHash == null || !MessageDigest.isEqual(token.get().secretHash(), presentedHash)) {
            throw new AdmissionException(Reason.TOKEN_UNKNOWN, "unknown join token " + id
                    + ": copy the whole token, or create a new one with tm:token-create");
        }
        TokenRecord t = token.get();
        if (t.revokedAt() != null) {
            throw new AdmissionException(Reason.TOKEN_REVOKED, "join token " + id + " was revoked at "
                    + t.revokedAt() + ": create a new one with tm:token-create");
        }
        if (t.expiresAt() != null && !now.isBefore(t.expiresAt())) {
            throw new AdmissionException(Reason.TOKEN_EXPIRED, "join token " + id + " expired at " + t.expiresAt()
                    + ": create a new one with tm:token-create");
        }
        if (banned) {
            throw new AdmissionException(Reason.NODE_REMOVED,
                    "this node was removed from the mesh; the operator must create a new token");
        }
        if (!t.reusable() && t.uses() > 0) {
            throw new AdmissionException(Reason.TOKEN_USED, "join token " + id
                    + " was already used: create a new one with tm:token-create");
        }
    }
}
