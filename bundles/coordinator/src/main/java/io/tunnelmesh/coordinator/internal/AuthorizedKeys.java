package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshWire;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SSH keys admitted without a token secret: an OpenSSH {@code authorized_keys} file (options before the key
 * are ignored, the comment after it is kept to name the key in the log). Re-read whenever its modification
 * time or size changes, so an operator edits it live. A missing file admits nobody.
 */
final class AuthorizedKeys {
    private final Path file;
    private final ComponentLog log;
    private FileTime loadedTime;
    private long loadedSize = -1;
    private Map<String, String> keys = Map.of(); // base64 wire blob → comment

    AuthorizedKeys(Path file, ComponentLog log) {
        this.file = file;
        this.log = log;
    }

    Path file() {
        return file;
    }

    /** @return the key's comment ("" when none) when {@code sshPublicKey} (wire blob) is listed */
    synchronized Optional<String> lookup(byte[] sshPublicKey) {
        refresh();
        return Optional.ofNullable(keys.get(Base64.getEncoder().encodeToString(sshPublicKey)));
    }

    private void refresh() {
        FileTime time;
        long size;
        try {
            time = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            keys = Map.of();
            loadedTime = null;
            loadedSize = -1;
            return;
        } catch (IOException e) {
            log.warn("cannot read " + file + " (" + e.getMessage() + "): admitting no SSH key until it is readable");
            keys = Map.of();
            return;
        }
        if (time.equals(loadedTime) && size == loadedSize) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("cannot read " + file + " (" + e.getMessage() + "): admitting no SSH key until it is readable");
            keys = Map.of();
            return;
        }
        Map<String, String> parsed = new HashMap<>();
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Entry entry = parse(trimmed);
            if (entry == null) {
                log.warn(file + " line " + lineNumber + " is not an SSH public key (want [options] TYPE BASE64 [comment]); skipped");
                continue;
            }
            parsed.put(entry.base64(), entry.comment());
        }
        keys = Map.copyOf(parsed);
        loadedTime = time;
        loadedSize = size;
        log.info(file + ": " + keys.size() + " SSH key(s) may join without a token secret");
    }

    record Entry(String base64, String comment) {
    }

    /** Finds the first word followed by base64 of a key of exactly that type; what precedes it is options. */
    static Entry parse(String line) {
        List<String> words = words(line);
        for (int i = 0; i + 1 < words.size(); i++) {
            String type = words.get(i);
            String data = words.get(i + 1);
            try {
                SshPublicKey key = SshPublicKey.of(Base64.getDecoder().decode(data));
                if (key.type().equals(type)) {
                    String comment = String.join(" ", words.subList(i + 2, words.size()));
                    return new Entry(Base64.getEncoder().encodeToString(key.blob()), comment);
                }
            } catch (RuntimeException | SshWire.MalformedException e) {
                // not the key yet: an option or the comment
            }
        }
        return null;
    }

    /** Splits on blanks outside double quotes (options like {@code command="a b"} hold blanks). */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && Character.isWhitespace(c)) {
                if (!word.isEmpty()) {
                    out.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            out.add(word.toString());
        }
        return out;
    }
}
