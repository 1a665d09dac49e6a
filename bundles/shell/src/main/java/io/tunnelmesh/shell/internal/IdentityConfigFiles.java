package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The identity's configuration files in {@code config/}, which FileInstall feeds to ConfigAdmin. One PID per key
 * source kind, so exactly one key source service exists: {@code io.tunnelmesh.identity.file} (key.file,
 * passphrase.env) or {@code io.tunnelmesh.identity.agent} (agent.key, agent.socket).
 */
final class IdentityConfigFiles {
    static final String FILE_PID = "io.tunnelmesh.identity.file";
    static final String AGENT_PID = "io.tunnelmesh.identity.agent";
    static final List<String> PIDS = List.of(FILE_PID, AGENT_PID);

    private final Path configDir;

    IdentityConfigFiles(Path configDir) {
        this.configDir = configDir;
    }

    Path path(String pid) {
        return configDir.resolve(pid + ".cfg");
    }

    List<Path> existing() {
        List<Path> found = new ArrayList<>();
        for (String pid : PIDS) {
            if (Files.exists(path(pid))) {
                found.add(path(pid));
            }
        }
        return found;
    }

    /** Writes {@code pid}'s file atomically, plain string values (FileInstall's untyped .cfg form). */
    void write(String pid, Map<String, String> properties) throws KeySourceException {
        StringBuilder text = new StringBuilder("# Node identity, written by tunnelmesh init. Run tunnelmesh init --force"
                + " to change it:\n# the node's public key changes with it.\n");
        properties.forEach((k, v) -> text.append(k).append(" = ").append(v.replace("\\", "\\\\")).append('\n'));
        Path target = path(pid);
        try {
            Files.createDirectories(configDir);
            Path tmp = configDir.resolve("." + pid + ".cfg.tmp"); // FileInstall ignores it: filter is *.cfg
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KeySourceException("cannot write " + target + ": " + e.getMessage(),
                    IdentityCommands.EXIT_CANT_CREATE);
        }
    }

    /** Reads back a file this class wrote (java.util.Properties syntax is a subset FileInstall shares). */
    static Map<String, String> parse(byte[] content) {
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new java.io.StringReader(new String(content, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringReader does not fail
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    void delete(String pid) throws KeySourceException {
        try {
            Files.deleteIfExists(path(pid));
        } catch (IOException e) {
            throw new KeySourceException("cannot remove " + path(pid) + ": " + e.getMessage(),
                    IdentityCommands.EXIT_CANT_CREATE);
        }
    }
}
