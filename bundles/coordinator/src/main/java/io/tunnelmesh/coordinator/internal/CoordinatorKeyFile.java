package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The coordinator's static X25519 key in {@code data/coordinator.key}: one line of base64 (as {@code wg genkey}
 * writes), mode 0600, created on first start. Join tokens carry its public half, so it must never change
 * silently: a file that cannot be read is an error, never a reason to make a new key.
 */
public final class CoordinatorKeyFile {
    public static final String FILE_NAME = "coordinator.key";

    private CoordinatorKeyFile() {
    }

    /** @throws IOException with one line naming the file and what to do */
    public static StaticKeyPair loadOrCreate(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return create(file);
        } catch (IOException e) {
            throw new IOException("cannot read the coordinator key " + file + ": " + e.getMessage());
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != 32) {
            throw new IOException("coordinator key " + file + " is corrupt (expected one line of base64 holding 32 bytes);"
                    + " restore it from a backup (tokens and nodes trust this key), or delete it to start a new mesh identity");
        }
        return pair(raw);
    }

    private static StaticKeyPair create(Path file) throws IOException {
        byte[] raw = NoiseDh.DH25519.generatePrivateKey(new SecureRandom());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII);
            try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true); // the key is promised in tokens: it must survive a crash right after
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IOException("cannot create the coordinator key " + file + ": " + e.getMessage());
        }
        return pair(raw);
    }

    private static StaticKeyPair pair(byte[] raw) {
        StaticKeyPair pair = new StaticKeyPair(raw, NodeKey.of(NoiseDh.DH25519.publicKey(raw)));
        Arrays.fill(raw, (byte) 0);
        return pair;
    }
}
