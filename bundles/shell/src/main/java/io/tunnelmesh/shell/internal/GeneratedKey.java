package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * {@code init --generate}: a new Ed25519 key in OpenSSH's own file format (BouncyCastle writes openssh-key-v1), so
 * {@code ssh-keygen} and {@code ssh-add} can use it too. The private file is created with mode 0600 from the start;
 * it is never written anywhere else.
 */
final class GeneratedKey {
    static final String FILE_NAME = "id_ed25519";

    private GeneratedKey() {
    }

    static Path generate(Path dir, String comment) throws KeySourceException {
        Path key = dir.resolve(FILE_NAME);
        Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
        generator.init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        byte[] blob = null;
        byte[] text = null;
        try {
            Files.createDirectories(dir);
            // the folder may exist already (the pin lives there); the private key's folder is the owner's only
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            blob = OpenSSHPrivateKeyUtil.encodePrivateKey(pair.getPrivate());
            text = armor(blob);
            try (OutputStream out = Files.newOutputStream(Files.createFile(key,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    StandardOpenOption.WRITE)) {
                out.write(text);
            }
            String pub = "ssh-ed25519 " + Base64.getEncoder().encodeToString(OpenSSHPublicKeyUtil.encodePublicKey(
                    pair.getPublic())) + " " + comment + "\n";
            Files.writeString(dir.resolve(FILE_NAME + ".pub"), pub, StandardCharsets.US_ASCII);
            return key;
        } catch (IOException e) {
            throw new KeySourceException("cannot write the new key " + key + ": " + e.getMessage(),
                    IdentityCommands.EXIT_CANT_CREATE);
        } finally {
            wipe(blob);
            wipe(text);
        }
    }

    /** PEM-style armour as ssh-keygen writes it: 70-character base64 lines. */
    private static byte[] armor(byte[] blob) {
        byte[] body = Base64.getMimeEncoder(70, new byte[] {'\n'}).encode(blob);
        byte[] begin = "-----BEGIN OPENSSH PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\n-----END OPENSSH PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[begin.length + body.length + end.length];
        System.arraycopy(begin, 0, out, 0, begin.length);
        System.arraycopy(body, 0, out, begin.length, body.length);
        System.arraycopy(end, 0, out, begin.length + body.length, end.length);
        wipe(body);
        return out;
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
