package io.tunnelmesh.ssh.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

/** The third-party and fixed test keys from {@code vectors/ssh/}, decoded into a folder with mode 0600. */
public final class TestKeys {
    /** A stored key file; {@code passphrase} null for plain ones; {@code plain} names the same key unencrypted. */
    public record VectorKey(String resource, String passphrase, String plain, String fingerprint) {
    }

    public static final List<VectorKey> ALL = List.of(
            new VectorKey("third-party/openssh-regress/ed25519_1", null, null,
                    "SHA256:L3k/oJubblSY0lB9Ulsl7emDMnRPKm/8udf2ccwk560"),
            new VectorKey("third-party/openssh-regress/ed25519_1_pw", "mekmitasdigoat",
                    "third-party/openssh-regress/ed25519_1", "SHA256:L3k/oJubblSY0lB9Ulsl7emDMnRPKm/8udf2ccwk560"),
            new VectorKey("third-party/openssh-regress/ed25519_2", null, null,
                    "SHA256:vMbaARqVciRgXyZPNHDo+P5p5WK5yWG1Oo6VC35Bomw"),
            new VectorKey("third-party/ssh-to-age/id_ed25519", null, null,
                    "SHA256:wEPu5zkkhaJZhOM5BFhVJnRbJC7OEuRKz/lt2XCrN8I"),
            new VectorKey("third-party/ssh-to-age/id_ed25519_passphrase", "test", null,
                    "SHA256:ELSOx2c/7oxUEjRsTFJkSRvfh8d1qQlB2XbpiM1T4AE"),
            new VectorKey("generated/rfc8032-test1.key", null, null,
                    "SHA256:bbXpuKG6zhzdmnxq256TlqzFBzRl2f6OOg722cYNbU8"),
            new VectorKey("generated/rfc8032-test1_pw.key", "correct horse battery staple",
                    "generated/rfc8032-test1.key", "SHA256:bbXpuKG6zhzdmnxq256TlqzFBzRl2f6OOg722cYNbU8"),
            new VectorKey("generated/rfc8032-test1_pw_chacha20-poly1305.key", "pw", "generated/rfc8032-test1.key",
                    "SHA256:bbXpuKG6zhzdmnxq256TlqzFBzRl2f6OOg722cYNbU8"),
            new VectorKey("generated/rfc8032-test1_pw_aes256-gcm.key", "pw", "generated/rfc8032-test1.key",
                    "SHA256:bbXpuKG6zhzdmnxq256TlqzFBzRl2f6OOg722cYNbU8"));

    private TestKeys() {
    }

    /** Decodes {@code vectors/ssh/RESOURCE.b64} into {@code dir}, mode 0600; returns the key file. */
    public static Path privateKey(Path dir, String resource) {
        byte[] decoded = Base64.getMimeDecoder().decode(resourceBytes(resource + ".b64"));
        Path file = dir.resolve(resource.replace('/', '_'));
        try {
            Files.write(file, decoded);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public static String text(String resource) {
        return new String(resourceBytes(resource), StandardCharsets.UTF_8);
    }

    public static byte[] resourceBytes(String resource) {
        try (InputStream in = TestKeys.class.getResourceAsStream("/vectors/ssh/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource vectors/ssh/" + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
