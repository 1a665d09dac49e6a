package io.tunnelmesh.keysource.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.ssh.internal.IdentityBinding;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.StaticKeyDerivation;
import io.tunnelmesh.ssh.testing.IndependentDerivation;
import io.tunnelmesh.ssh.testing.OpenSshTools;
import io.tunnelmesh.ssh.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file key source with keys made by the real ssh-keygen and the third-party test keys. */
class FileKeySourceTest {
    static final List<String> CIPHERS = List.of("aes256-ctr", "aes256-gcm@openssh.com",
            "chacha20-poly1305@openssh.com");

    static NodeIdentity identity(Path key, String passphrase) throws Exception {
        Map<String, String> env = passphrase == null ? Map.of() : Map.of("TUNNELMESH_SSH_PASSPHRASE", passphrase);
        return new FileKeySource(key, null, env::get, () -> null, null).identity();
    }

    @Test
    void generatedKeysGiveTheSameIdentityPlainAndInEveryCipherAndMatchSshKeygen(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        for (String[] spec : new String[][] {{"ed25519", "0"}, {"rsa", "3072"}}) {
            Path plain = OpenSshTools.generate(dir, "id_" + spec[0], spec[0], Integer.parseInt(spec[1]));
            NodeIdentity expected = identity(plain, null);
            SshPublicKey pub = SshPublicKey.parseOpenSsh(Files.readString(Path.of(plain + ".pub")));
            assertEquals(pub.fingerprint(), expected.sshFingerprint());
            assertTrue(IdentityBinding.verify(pub.blob(), expected.publicKey(), expected.binding()));

            String armored = OpenSshTools.sshKeygenSign(Map.of(), plain, StaticKeyDerivation.NAMESPACE,
                    StaticKeyDerivation.MESSAGE);
            assertEquals(IndependentDerivation.fromArmoredSshSig(armored, "tunnelmesh x25519 static key v1"),
                    expected.publicKey().toBase64(), spec[0] + ": derivation equals the one from ssh-keygen -Y sign");

            for (String cipher : CIPHERS) {
                Path encrypted = OpenSshTools.encryptedCopy(plain, "pw-" + cipher, cipher);
                assertEquals(expected.publicKey(), identity(encrypted, "pw-" + cipher).publicKey(),
                        spec[0] + " " + cipher);
            }
        }
    }

    @Test
    void vectorKeysMatchTheirPlainTwinsAndFingerprints(@TempDir Path dir) throws Exception {
        for (TestKeys.VectorKey v : TestKeys.ALL) {
            NodeIdentity id = identity(TestKeys.privateKey(dir, v.resource()), v.passphrase());
            assertEquals(v.fingerprint(), id.sshFingerprint(), v.resource());
            if (v.plain() != null) {
                assertEquals(identity(TestKeys.privateKey(dir, v.plain()), null).publicKey(), id.publicKey(),
                        v.resource());
            }
        }
    }

    @Test
    void vectorKeyDerivationEqualsSshKeygen(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        Path key = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        String armored = OpenSshTools.sshKeygenSign(Map.of(), key, StaticKeyDerivation.NAMESPACE,
                StaticKeyDerivation.MESSAGE);
        assertEquals(IndependentDerivation.fromArmoredSshSig(armored, "tunnelmesh x25519 static key v1"),
                identity(key, null).publicKey().toBase64());
    }
}
