package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.TokenRecord;
import io.tunnelmesh.control.JoinToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Makes join tokens: a random id and a 32-byte random secret, of which the store keeps only the SHA-256 (the
 * secret is random, so a plain hash is as strong as a slow one). The secret exists only in the returned text.
 * Public only so that what {@link Coordinator#createToken} returns is usable by the benchmark.
 */
public final class TokenIssuer {
    private final SecureRandom random = new SecureRandom();

    /** A token and the record to store for it. */
    public record Issued(TokenRecord record, String token) {
    }

    TokenIssuer() {
    }

    Issued issue(NodeKey coordinator, List<String> addresses, boolean reusable, Duration expires, String name, Instant now) {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String tokenId = HexFormat.of().formatHex(id);
        TokenRecord record = new TokenRecord(tokenId, Admission.sha256(secret), name == null ? "" : name, reusable, now,
                expires == null ? null : now.plus(expires), null, 0);
        String text = new JoinToken(coordinator, tokenId, secret, addresses).encode();
        java.util.Arrays.fill(secret, (byte) 0);
        return new Issued(record, text);
    }
}
