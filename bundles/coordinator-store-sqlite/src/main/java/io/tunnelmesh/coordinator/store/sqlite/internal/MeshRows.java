package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.coordinator.MeshRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The SQL of the one-row mesh table. */
final class MeshRows {
    private MeshRows() {
    }

    static Optional<MeshRecord> find(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT ipv4_cidr, ipv6_prefix, psk FROM mesh WHERE id = 1");
                ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(new MeshRecord(IpPrefix.parse(rs.getString(1)),
                    IpPrefix.parse(rs.getString(2)), PresharedKey.of(rs.getBytes(3)))) : Optional.empty();
        }
    }

    static void insert(Connection c, MeshRecord mesh) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO mesh (id, ipv4_cidr, ipv6_prefix, psk) VALUES (1, ?, ?, ?)")) {
            p.setString(1, mesh.ipv4Cidr().toString());
            p.setString(2, mesh.ipv6Prefix().toString());
            p.setBytes(3, mesh.psk().toBytes());
            p.executeUpdate();
        }
    }
}
