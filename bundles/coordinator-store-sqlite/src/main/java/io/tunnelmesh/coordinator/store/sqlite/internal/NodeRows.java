package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.coordinator.NodeRecord;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The SQL of the nodes table. Endpoints are stored one per line; keys as base64 text. */
final class NodeRows {
    private static final String COLUMNS = "public_key, name, host, ipv4, ipv6, ssh_public_key, ssh_fingerprint,"
            + " binding, endpoints, token_id, created_at, last_seen";

    /** A node row with its host number, which the record itself does not carry. */
    record Row(NodeRecord node, long host) {
    }

    private NodeRows() {
    }

    static Optional<Row> find(Connection c, NodeKey key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM nodes WHERE public_key = ?")) {
            p.setString(1, key.toBase64());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static List<Row> all(Connection c) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM nodes ORDER BY host");
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    static void insert(Connection c, NodeRecord n, long host) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO nodes (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, n.publicKey().toBase64());
            p.setString(2, n.name());
            p.setLong(3, host);
            p.setString(4, n.ipv4().getHostAddress());
            p.setString(5, n.ipv6().getHostAddress());
            p.setBytes(6, n.sshPublicKey());
            p.setString(7, n.sshFingerprint());
            p.setBytes(8, n.binding());
            p.setString(9, endpoints(n.endpoints()));
            p.setString(10, n.tokenId().isEmpty() ? null : n.tokenId());
            p.setString(11, n.createdAt().toString());
            p.setString(12, n.lastSeen().toString());
            p.executeUpdate();
        }
    }

    static boolean updateEndpoints(Connection c, NodeKey key, List<String> endpoints, Instant lastSeen)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE nodes SET endpoints = ?, last_seen = ? WHERE public_key = ?")) {
            p.setString(1, endpoints(endpoints));
            p.setString(2, lastSeen.toString());
            p.setString(3, key.toBase64());
            return p.executeUpdate() > 0;
        }
    }

    static void delete(Connection c, NodeKey key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM nodes WHERE public_key = ?")) {
            p.setString(1, key.toBase64());
            p.executeUpdate();
        }
    }

    /** @throws IllegalArgumentException when an endpoint contains a line break (it would split in two) */
    static String endpoints(List<String> endpoints) {
        for (String e : endpoints) {
            if (e.indexOf('\n') >= 0 || e.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("endpoint '" + e.strip() + "' contains a line break: report HOST:PORT");
            }
        }
        return String.join("\n", endpoints);
    }

    private static Row row(ResultSet rs) throws SQLException {
        String endpoints = rs.getString(9);
        String tokenId = rs.getString(10);
        NodeRecord n = new NodeRecord(NodeKey.parse(rs.getString(1)), rs.getString(2),
                InetAddress.ofLiteral(rs.getString(4)), InetAddress.ofLiteral(rs.getString(5)),
                bytes(rs.getBytes(6)), rs.getString(7), bytes(rs.getBytes(8)),
                endpoints.isEmpty() ? List.of() : Arrays.asList(endpoints.split("\n")),
                tokenId == null ? "" : tokenId, Instant.parse(rs.getString(11)), Instant.parse(rs.getString(12)));
        return new Row(n, rs.getLong(3));
    }

    private static byte[] bytes(byte[] b) {
        return b == null ? new byte[0] : b;
    }
}
