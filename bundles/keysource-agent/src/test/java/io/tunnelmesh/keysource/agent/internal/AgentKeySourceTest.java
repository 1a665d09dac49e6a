package io.tunnelmesh.keysource.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.keysource.file.internal.FileKeySource;
import io.tunnelmesh.ssh.internal.IdentityBinding;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.StaticKeyDerivation;
import io.tunnelmesh.ssh.testing.IndependentDerivation;
import io.tunnelmesh.ssh.testing.OpenSshTools;
import io.tunnelmesh.ssh.testing.SshAgentProcess;
import io.tunnelmesh.ssh.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real ssh-agent holding real keys gives the same identity as the key files. */
class AgentKeySourceTest {
    private static final List<String> CIPHERS = List.of("aes256-ctr", "aes256-gcm@openssh.com",
            "chacha20-poly1305@openssh.com");

    static NodeIdentity agentIdentity(SshAgentProcess agent, String key) throws Exception {
        return new AgentKeySource(agent.socket().toString(), key, Duration.ofSeconds(10), null).identity();
    }

    static NodeIdentity fileIdentity(Path key, String passphrase) throws Exception {
        Map<String, String> env = passphrase == null ? Map.of() : Map.of("TUNNELMESH_SSH_PASSPHRASE", passphrase);
        return new FileKeySource(key, null, env::get, () -> null, null).identity();
    }

    @Test
    void generatedKeysGiveTheSameIdentityFromAgentAndEveryKeyFile(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            for (String[] spec : new String[][] {{"ed25519", "0"}, {"rsa", "3072"}}) {
                Path plain = OpenSshTools.generate(dir, "id_" + spec[0], spec[0], Integer.parseInt(spec[1]));
                agent.add(plain);
                SshPublicKey pub = SshPublicKey.parseOpenSsh(Files.readString(Path.of(plain + ".pub")));
                NodeIdentity viaAgent = agentIdentity(agent, pub.fingerprint());
                assertEquals(viaAgent.publicKey(), agentIdentity(agent, "id_" + spec[0]).publicKey(), "by comment");
                assertEquals(fileIdentity(plain, null).publicKey(), viaAgent.publicKey(), spec[0] + " plain file");
                for (String cipher : CIPHERS) {
                    Path encrypted = OpenSshTools.encryptedCopy(plain, "pw", cipher);
                    assertEquals(fileIdentity(encrypted, "pw").publicKey(), viaAgent.publicKey(), spec[0] + " "
                            + cipher);
                }
                assertTrue(IdentityBinding.verify(pub.blob(), viaAgent.publicKey(), viaAgent.binding()));
                assertEquals(pub.fingerprint(), viaAgent.sshFingerprint());
                // ssh-keygen -Y sign through the same agent (-f names the .pub) gives the same derivation
                String armored = OpenSshTools.sshKeygenSign(agent.env(), Path.of(plain + ".pub"),
                        StaticKeyDerivation.NAMESPACE, StaticKeyDerivation.MESSAGE);
                assertEquals(IndependentDerivation.fromArmoredSshSig(armored, "tunnelmesh x25519 static key v1"),
                        viaAgent.publicKey().toBase64());
            }
        }
    }

    @Test
    void vectorKeysGiveTheSameIdentityFromAgentAndFile(@TempDir Path dir) throws Exception {
        for (TestKeys.VectorKey v : TestKeys.ALL) {
            try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
                Path key = TestKeys.privateKey(dir, v.resource());
                if (v.passphrase() == null) {
                    agent.add(key);
                } else {
                    agent.addWithPassphrase(key, v.passphrase());
                }
                NodeIdentity viaAgent = agentIdentity(agent, null);
                assertEquals(v.fingerprint(), viaAgent.sshFingerprint(), v.resource());
                assertEquals(fileIdentity(key, v.passphrase()).publicKey(), viaAgent.publicKey(), v.resource());
            }
        }
    }

    @Test
    void theOnlyUsableKeyIsChosenWhenOthersAreEcdsa(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(OpenSshTools.generate(dir, "id_ecdsa", "ecdsa", 256));
            Path ed = OpenSshTools.generate(dir, "id_ed25519", "ed25519", 0);
            agent.add(ed);
            assertEquals(fileIdentity(ed, null).publicKey(), agentIdentity(agent, null).publicKey());
        }
    }

    @Test
    void pinnedKeyIsWrittenAndRechecked(@TempDir Path dir) throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1"));
            Path pin = dir.resolve("home/data/identity/node.pub");
            NodeIdentity first = new AgentKeySource(agent.socket().toString(), null, Duration.ofSeconds(10), pin)
                    .identity();
            assertTrue(Files.readString(pin).startsWith(first.publicKey().toBase64() + " " + first.sshFingerprint()));
            assertEquals(first.publicKey(), new AgentKeySource(agent.socket().toString(), null, Duration.ofSeconds(10),
                    pin).identity().publicKey());
        }
    }
}
