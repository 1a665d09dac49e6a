package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.identity.KeySourceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The node's public key as first derived, kept in a small text file ({@code base64-key SSH-fingerprint}). Every
 * later derivation is compared with it, so a signer that stops being deterministic (a third-party agent that
 * hedges Ed25519 nonces, say) is caught instead of silently giving the node a new identity.
 */
public final class PinnedKey {
    private PinnedKey() {
    }

    /** The pin, or null when {@code pinFile} does not exist. */
    public static String[] read(Path pinFile) throws KeySourceException {
        if (!Files.exists(pinFile)) {
            return null;
        }
        try {
            String[] parts = Files.readString(pinFile, StandardCharsets.US_ASCII).trim().split("\\s+");
            NodeKey.parse(parts[0]);
            return parts;
        } catch (IOException | IllegalArgumentException e) {
            throw new KeySourceException("pinned key file " + pinFile + " is unreadable or damaged: delete it to pin"
                    + " the key derived next", ExitCodes.CONFIG);
        }
    }

    /** Writes the pin when absent; otherwise refuses a key or SSH key that differs from it. */
    public static void checkOrCreate(Path pinFile, NodeKey key, String fingerprint, String what)
            throws KeySourceException {
        String[] pin = read(pinFile);
        if (pin == null) {
            write(pinFile, key, fingerprint);
            return;
        }
        if (pin.length > 1 && !pin[1].equals(fingerprint)) {
            throw new KeySourceException("the node identity pinned in " + pinFile + " belongs to SSH key " + pin[1]
                    + ", not to " + what + " (" + fingerprint + "): run tunnelmesh init --force to switch keys",
                    ExitCodes.PROTOCOL);
        }
        if (!pin[0].equals(key.toBase64())) {
            throw new KeySourceException(what + " derived " + key.toBase64() + " but " + pinFile + " pins "
                    + pin[0] + ": its signatures are not deterministic (a third-party agent?); use the key file or"
                    + " OpenSSH's ssh-agent", ExitCodes.PROTOCOL);
        }
    }

    public static void write(Path pinFile, NodeKey key, String fingerprint) throws KeySourceException {
        try {
            Files.createDirectories(pinFile.toAbsolutePath().getParent());
            Path tmp = pinFile.resolveSibling(pinFile.getFileName() + ".tmp");
            Files.writeString(tmp, key.toBase64() + " " + fingerprint + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, pinFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KeySourceException("cannot write pinned key file " + pinFile + ": " + e.getMessage(),
                    ExitCodes.CANT_CREATE);
        }
    }
}
