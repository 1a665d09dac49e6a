package io.tunnelmesh.coordinator.store.sqlite.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versioned schema runner: {@code db/<dialect>/migrations.list} names the scripts {@code VNNN__what.sql}
 * in order; each one not yet in {@code schema_version} runs in its own transaction. (Flyway has no OSGi
 * manifest; this is all it would do here.) A resource list, because a bundle's folders cannot be listed
 * portably through a class loader.
 */
final class Migrations {
    private static final Pattern NAME = Pattern.compile("V(\\d{3,})__[A-Za-z0-9_]+\\.sql");

    record Script(int version, String name, String sql) {
    }

    private final List<Script> scripts;

    Migrations(List<Script> scripts) {
        this.scripts = List.copyOf(scripts);
    }

    /** Loads the scripts of {@code db/<dialect>/} from this bundle. */
    static Migrations load(String dialect) {
        String folder = "/db/" + dialect + "/";
        List<Script> scripts = new ArrayList<>();
        for (String name : lines(read(folder + "migrations.list"))) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalStateException("migration " + name + " is not named VNNN__what.sql");
            }
            int version = Integer.parseInt(m.group(1));
            if (version != scripts.size() + 1) {
                throw new IllegalStateException("migration " + name + " is out of order: expected version " + (scripts.size() + 1));
            }
            scripts.add(new Script(version, name, read(folder + name)));
        }
        return new Migrations(scripts);
    }

    int latest() {
        return scripts.size();
    }

    /**
     * Applies what is missing. {@code connection} must have auto-commit off.
     *
     * @return the schema version found before
     * @throws NewerSchema when the database was written by a newer store
     */
    int apply(Connection connection) throws SQLException, NewerSchema {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                    + " name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }
        connection.commit();
        int current = current(connection);
        if (current > latest()) {
            throw new NewerSchema(current, latest());
        }
        for (Script script : scripts.subList(current, scripts.size())) {
            try (Statement s = connection.createStatement();
                    PreparedStatement p = connection.prepareStatement(
                            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
                for (String sql : statements(script.sql())) {
                    s.executeUpdate(sql);
                }
                p.setInt(1, script.version());
                p.setString(2, script.name());
                p.setString(3, Instant.now().toString());
                p.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
        return current;
    }

    private static int current(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            int v = rs.next() ? rs.getInt(1) : 0;
            connection.commit();
            return v;
        }
    }

    /** Splits a script at semicolons that end a line; "--" comment lines are dropped. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (t.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the bundle");
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                StringBuilder sb = new StringBuilder();
                r.lines().forEach(l -> sb.append(l).append('\n'));
                return sb.toString();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource + ": " + e.getMessage(), e);
        }
    }

    /** The database was written by a newer version of the store. */
    static final class NewerSchema extends Exception {
        NewerSchema(int found, int known) {
            super("schema version " + found + " is newer than this coordinator knows (" + known
                    + "): run the newer TunnelMesh/J that wrote it");
        }
    }
}
