package io.tunnelmesh.coordinator.client.internal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The node's {@code config/io.tunnelmesh.node.cfg} (properties syntax, read by FileInstall): what join reads
 * (listen port, interface name) and the keys it sets (address, psk.file). Setting keys rewrites only their lines;
 * every other line and comment stays as the operator wrote it.
 */
final class NodeConfigFile {
    static final String NAME = "io.tunnelmesh.node.cfg";
    static final int DEFAULT_LISTEN_PORT = 51820;
    static final String DEFAULT_INTERFACE = "tm0";

    private final Path file;

    NodeConfigFile(Path configDir) {
        this.file = configDir.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /** The configured UDP listen port, or 51820 when the file or the key is missing or not a port. */
    int listenPort() {
        String value = read().getProperty("listen.port");
        try {
            int port = value == null ? DEFAULT_LISTEN_PORT : Integer.parseInt(value.strip());
            return port >= 0 && port <= 65535 ? port : DEFAULT_LISTEN_PORT;
        } catch (NumberFormatException e) {
            return DEFAULT_LISTEN_PORT;
        }
    }

    String interfaceName() {
        String value = read().getProperty("interface.name");
        return value == null || value.isBlank() ? DEFAULT_INTERFACE : value.strip();
    }

    /** A properties text as plain key → value (what FileInstall hands ConfigAdmin for a .cfg file). */
    static Map<String, String> readProperties(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringReader does not fail
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    private Properties read() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            // no file or unreadable: the node's defaults apply, and the node itself reports a broken file
        }
        return p;
    }

    /** Sets {@code values} (key → plain value) atomically; their existing lines are replaced, missing ones appended. */
    void set(Map<String, String> values) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            lines = List.of();
        }
        AtomicFiles.write(file, String.join("\n", merge(lines, values)).concat("\n").getBytes(StandardCharsets.UTF_8), false);
    }

    /** The lines with each key of {@code values} set: its first line replaced, later duplicates dropped. */
    static List<String> merge(List<String> lines, Map<String, String> values) {
        Map<String, String> pending = new LinkedHashMap<>(values);
        List<String> out = new ArrayList<>(lines.size() + values.size());
        boolean continued = false; // inside a value continued with a trailing backslash
        boolean dropping = false;
        for (String line : lines) {
            boolean wasContinued = continued;
            continued = endsWithOddBackslashes(line) && (wasContinued || !isComment(line));
            if (wasContinued) {
                if (!dropping) {
                    out.add(line);
                }
                continue;
            }
            dropping = false;
            String key = isComment(line) ? null : key(line);
            if (key != null && values.containsKey(key)) {
                dropping = true;
                if (pending.containsKey(key)) {
                    out.add(key + "=" + escape(pending.remove(key)));
                }
                continue;
            }
            out.add(line);
        }
        pending.forEach((k, v) -> out.add(k + "=" + escape(v)));
        return out;
    }

    private static boolean isComment(String line) {
        String t = line.stripLeading();
        return t.isEmpty() || t.startsWith("#") || t.startsWith("!");
    }

    /** The key of a property line: up to the first unescaped '=', ':' or whitespace. */
    private static String key(String line) {
        String t = line.stripLeading();
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\' && i + 1 < t.length()) {
                key.append(t.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static boolean endsWithOddBackslashes(String line) {
        int n = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            n++;
        }
        return n % 2 == 1;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
