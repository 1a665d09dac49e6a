package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.TokenRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the tokens table and of the removed-node bans that refer to tokens. */
final class TokenRows {
    private static final String COLUMNS = "id, secret_hash, name, reusable, created_at, expires_at, revoked_at, uses";

    private TokenRows() {
    }

    static Optional<TokenRecord> find(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static List<TokenRecord> all(Connection c) throws SQLException {
        List<TokenRecord> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM tokens ORDER BY created_at, id");
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    static void insert(Connection c, TokenRecord t) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, t.id());
            p.setBytes(2, t.secretHash());
            p.setString(3, t.name() == null ? "" : t.name());
            p.setInt(4, t.reusable() ? 1 : 0);
            p.setString(5, t.createdAt().toString());
            p.setString(6, text(t.expiresAt()));
            p.setString(7, text(t.revokedAt()));
            p.setInt(8, t.uses());
            p.executeUpdate();
        }
    }

    /** Marks the token revoked unless it already is. @return false when there is no such token */
    static boolean revoke(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")) {
            p.setString(1, now.toString());
            p.setString(2, id);
            return p.executeUpdate() > 0;
        }
    }

    static void countUse(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE tokens SET uses = uses + 1 WHERE id = ?")) {
            p.setString(1, id);
            p.executeUpdate();
        }
    }

    static boolean banned(Connection c, String tokenId, NodeKey key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM removed WHERE token_id = ? AND public_key = ?")) {
            p.setString(1, tokenId);
            p.setString(2, key.toBase64());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void ban(Connection c, String tokenId, NodeKey key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO removed (token_id, public_key) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            p.setString(1, tokenId);
            p.setString(2, key.toBase64());
            p.executeUpdate();
        }
    }

    private static TokenRecord row(ResultSet rs) throws SQLException {
        return new TokenRecord(rs.getString(1), rs.getBytes(2), rs.getString(3), rs.getInt(4) != 0,
                Instant.parse(rs.getString(5)), instant(rs.getString(6)), instant(rs.getString(7)), rs.getInt(8));
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
