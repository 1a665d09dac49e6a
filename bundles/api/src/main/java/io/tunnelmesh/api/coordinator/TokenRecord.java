package io.tunnelmesh.api.coordinator;

import java.time.Instant;

/**
 * A join token as the store keeps it: never the secret, only its SHA-256.
 *
 * @param id         public identifier (printed by {@code tm:tokens}, carried in the token)
 * @param secretHash SHA-256 of the token's secret (32 bytes)
 * @param name       operator's label, may be empty
 * @param reusable   false = one use
 * @param expiresAt  null = never
 * @param revokedAt  null = not revoked
 * @param uses       how many admissions it made
 */
public record TokenRecord(String id, byte[] secretHash, String name, boolean reusable, Instant createdAt,
        Instant expiresAt, Instant revokedAt, int uses) {
    public TokenRecord {
        secretHash = secretHash.clone();
    }

    @Override
    public byte[] secretHash() {
        return secretHash.clone();
    }
}
