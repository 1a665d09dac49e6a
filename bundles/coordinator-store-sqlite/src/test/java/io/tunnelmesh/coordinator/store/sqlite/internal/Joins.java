package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.AdmissionRequest;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

/** Test material: keys, tokens and join requests as the coordinator would build them. */
final class Joins {
    static final SecureRandom RANDOM = new SecureRandom();

    private Joins() {
    }

    static NodeKey newKey() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return NodeKey.of(raw);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static TokenRecord token(String id, boolean reusable, Instant created, Instant expires) {
        return new TokenRecord(id, hash("secret-" + id), "label " + id, reusable, created, expires, null, 0);
    }

    static AdmissionRequest withToken(NodeKey key, String tokenId, String name, boolean explicit) {
        return new AdmissionRequest(key, tokenId, hash("secret-" + tokenId), name, explicit, new byte[] {1, 2, 3},
                "SHA256:abc", new byte[] {9}, List.of("192.0.2.1:51820", "10.0.0.5:51820"));
    }

    static AdmissionRequest bySshKey(NodeKey key, String name) {
        return new AdmissionRequest(key, null, null, name, false, null, null, null, null);
    }
}
