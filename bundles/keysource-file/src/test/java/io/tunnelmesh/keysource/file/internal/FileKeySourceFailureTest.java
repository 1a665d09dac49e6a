package io.tunnelmesh.keysource.file.internal;

import static io.tunnelmesh.ssh.testing.KeySourceAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.testing.OpenSshTools;
import io.tunnelmesh.ssh.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad key file gives one clear line and its exit code, never a stack trace. */
class FileKeySourceFailureTest {
    private static void identity(Path key, String passphrase) throws Exception {
        FileKeySourceTest.identity(key, passphrase);
    }

    @Test
    void ecdsaKeyIsRefusedSayingWhyAndWhatWorks(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        Path key = OpenSshTools.generate(dir, "id_ecdsa", "ecdsa", 256);
        KeySourceException e = fails(ExitCodes.DATA, "random nonce", () -> identity(key, null));
        assertTrue(e.getMessage().contains("ssh-ed25519"), e.getMessage());
    }

    /** No FIDO hardware here, so the file carries OpenSSH's regress sk- public key in an openssh-key-v1 header. */
    @Test
    void fidoKeyFileIsRefusedBeforeAnyDecryption(@TempDir Path dir) throws Exception {
        byte[] skBlob = io.tunnelmesh.ssh.internal.SshPublicKey.parseOpenSsh(
                TestKeys.text("third-party/openssh-regress/ed25519_sk1.pub")).blob();
        byte[] blob = new io.tunnelmesh.ssh.internal.SshWire.Writer()
                .raw("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII)).string("aes256-ctr").string("bcrypt")
                .string(new byte[20]).uint32(1).string(skBlob).string(new byte[64]).toByteArray();
        KeySourceException e = fails(ExitCodes.DATA, "touch", () -> identity(armor(dir, "id_ed25519_sk", blob), null));
        assertTrue(e.getMessage().contains("sk-ssh-ed25519@openssh.com"), e.getMessage());
    }

    @Test
    void wrongPassphraseInEveryCipher(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        Path plain = OpenSshTools.generate(dir, "id_ed25519", "ed25519", 0);
        for (String cipher : FileKeySourceTest.CIPHERS) {
            Path encrypted = OpenSshTools.encryptedCopy(plain, "right", cipher);
            fails(ExitCodes.NO_PERMISSION, "wrong passphrase", () -> identity(encrypted, "wrong"));
        }
    }

    @Test
    void missingPassphraseWithoutTerminalSaysWhichVariableToSet(@TempDir Path dir) throws Exception {
        Path key = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1_pw");
        fails(ExitCodes.NO_PERMISSION, "TUNNELMESH_SSH_PASSPHRASE", () -> identity(key, null));
        FileKeySource custom = new FileKeySource(key, "MY_PASS", Map.of("MY_PASS", "mekmitasdigoat")::get,
                () -> null, null);
        assertEquals("SHA256:L3k/oJubblSY0lB9Ulsl7emDMnRPKm/8udf2ccwk560", custom.identity().sshFingerprint());
    }

    @Test
    void truncatedKeyFiles(@TempDir Path dir) throws Exception {
        Path key = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        String text = Files.readString(key);
        Path noEnd = writePrivate(dir, "no-end", text.substring(0, text.length() / 2));
        fails(ExitCodes.DATA, "truncated", () -> identity(noEnd, null));
        String[] lines = text.split("\n");
        Path shortBody = writePrivate(dir, "short-body", lines[0] + "\n" + lines[1] + "\n" + lines[lines.length - 1]
                + "\n");
        fails(ExitCodes.DATA, "truncated or corrupt", () -> identity(shortBody, null));
        Path empty = writePrivate(dir, "empty", "");
        fails(ExitCodes.DATA, "not an OpenSSH private key", () -> identity(empty, null));
    }

    @Test
    void corruptKeyFiles(@TempDir Path dir) throws Exception {
        Path key = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        String text = Files.readString(key);
        Path badBase64 = writePrivate(dir, "bad-b64", text.replaceFirst("\n(.)", "\n*$1"));
        fails(ExitCodes.DATA, "corrupt", () -> identity(badBase64, null));
        byte[] blob = java.util.Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        // the Ed25519 seed sits just before the last copy of the 32-byte public key (sk64 = seed ‖ pk)
        int lastPk = lastIndexOf(blob, java.util.Arrays.copyOfRange(blob, 62, 94));
        assertTrue(lastPk > 94, "found the private copy of the public key");
        byte[] seedFlipped = blob.clone();
        seedFlipped[lastPk - 1] ^= 0x55;
        fails(ExitCodes.DATA, "does not match its public key", () -> identity(armor(dir, "seed", seedFlipped), null));
        // the two check integers at the start of the private section differ: OpenSSH's "corrupt" signal
        byte[] checkFlipped = blob.clone();
        checkFlipped[lastPk - 32 - 4 - 32 - 4 - 11 - 4 - 8 + 1] ^= 0x01;
        fails(ExitCodes.DATA, "corrupt", () -> identity(armor(dir, "check", checkFlipped), null));
    }

    private static Path armor(Path dir, String name, byte[] blob) throws Exception {
        return writePrivate(dir, name, "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(blob) + "\n-----END OPENSSH PRIVATE KEY-----\n");
    }

    private static int lastIndexOf(byte[] hay, byte[] needle) {
        for (int i = hay.length - needle.length; i >= 0; i--) {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void keyFileReadableByOthersIsRefusedWithTheChmodToRun(@TempDir Path dir) throws Exception {
        Path key = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        fails(ExitCodes.NO_PERMISSION, "chmod 600 " + key, () -> identity(key, null));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        fails(ExitCodes.NO_PERMISSION, "chmod 600 " + key, () -> identity(key, null));
    }

    @Test
    void missingFilePublicKeyAndOldPemFormat(@TempDir Path dir) throws Exception {
        fails(ExitCodes.NO_INPUT, "does not exist", () -> identity(dir.resolve("nope"), null));
        Path pub = writePrivate(dir, "id.pub", TestKeys.text("third-party/openssh-regress/ed25519_1.pub"));
        fails(ExitCodes.DATA, "public key", () -> identity(pub, null));
        Path pem = writePrivate(dir, "pem", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        fails(ExitCodes.DATA, "ssh-keygen -p -f", () -> identity(pem, null));
    }

    @Test
    void changedDerivationIsRefusedByThePin(@TempDir Path dir) throws Exception {
        Path a = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        Path b = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_2");
        Path pin = dir.resolve("identity/node.pub");
        var first = new FileKeySource(a, null, k -> null, () -> null, pin).identity();
        assertTrue(Files.readString(pin).startsWith(first.publicKey().toBase64()));
        assertEquals(first.publicKey(), new FileKeySource(a, null, k -> null, () -> null, pin).identity().publicKey());
        fails(ExitCodes.PROTOCOL, "init --force", () -> new FileKeySource(b, null, k -> null, () -> null, pin)
                .identity());
        // same SSH key, different derived key: what a non-deterministic signer would produce
        Files.writeString(pin, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + first.sshFingerprint() + "\n");
        fails(ExitCodes.PROTOCOL, "not deterministic", () -> new FileKeySource(a, null, k -> null, () -> null, pin)
                .identity());
    }

    private static Path writePrivate(Path dir, String name, String text) throws Exception {
        Path p = Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }
}
