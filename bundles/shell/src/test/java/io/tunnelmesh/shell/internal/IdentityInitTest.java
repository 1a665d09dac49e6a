package io.tunnelmesh.shell.internal;

import static io.tunnelmesh.ssh.testing.KeySourceAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.keysource.agent.internal.AgentKeySource;
import io.tunnelmesh.keysource.file.internal.FileKeySource;
import io.tunnelmesh.ssh.testing.OpenSshTools;
import io.tunnelmesh.ssh.testing.SshAgentProcess;
import io.tunnelmesh.ssh.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tm:init / tm:pubkey against the real key sources. The publisher stands in for ConfigAdmin + SCR: it makes a new
 * key source instance from each configuration init writes, as DS does.
 */
class IdentityInitTest {
    private static final String ED25519_1 = "SHA256:L3k/oJubblSY0lB9Ulsl7emDMnRPKm/8udf2ccwk560";
    private static final String ED25519_2 = "SHA256:vMbaARqVciRgXyZPNHDo+P5p5WK5yWG1Oo6VC35Bomw";

    @TempDir
    Path dir;
    private Path home;
    private KeySourceRegistry registry;
    private final Map<String, KeySource> active = new HashMap<>();
    private String agentSocket;
    private IdentityInit init;

    @BeforeEach
    void setUp() {
        home = dir.resolve("home");
        registry = new KeySourceRegistry();
        init = new IdentityInit(home, home.resolve("config"), registry, this::publish, Duration.ofSeconds(2));
    }

    private void publish(String pid, Path file, Map<String, String> props) {
        KeySource old = active.remove(pid);
        if (old != null) {
            registry.remove(old);
        }
        if (props == null) {
            return;
        }
        Path pin = home.resolve("data/identity/node.pub");
        KeySource source = pid.equals(IdentityConfigFiles.FILE_PID)
                ? new FileKeySource(Path.of(props.get("key.file")), props.get("passphrase.env"), k -> null,
                        () -> null, pin)
                : new AgentKeySource(props.get("agent.socket").isEmpty() ? agentSocket : props.get("agent.socket"),
                        props.get("agent.key"), Duration.ofSeconds(10), pin);
        active.put(pid, source);
        registry.add(source, Map.of(KeySource.KIND_PROPERTY, pid.substring(pid.lastIndexOf('.') + 1),
                IdentityInit.STAMP_PROPERTY, props.get(IdentityInit.STAMP_PROPERTY)));
    }

    private static String fileKey(Path key) throws Exception {
        return new FileKeySource(key, null, k -> null, () -> null, null).identity().publicKey().toBase64();
    }

    @Test
    void initWithKeyFilePrintsKeyAndFingerprintWritesConfigAndPin() throws Exception {
        Path key = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        String out = init.init(List.of("--ssh-key", key.toString()));
        String expected = fileKey(key);
        assertTrue(out.contains("node public key: " + expected), out);
        assertTrue(out.contains(ED25519_1), out);
        String cfg = Files.readString(home.resolve("config/io.tunnelmesh.identity.file.cfg"));
        assertTrue(cfg.contains("key.file = " + key), cfg);
        assertTrue(Files.readString(home.resolve("data/identity/node.pub")).startsWith(expected + " " + ED25519_1));
        assertEquals(expected, init.pubkey());
    }

    @Test
    void reinitNeverSilentlyReplacesAndForceDoes() throws Exception {
        Path a = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        Path b = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_2");
        init.init(List.of("--ssh-key", a.toString()));
        String cfg = Files.readString(home.resolve("config/io.tunnelmesh.identity.file.cfg"));
        fails(IdentityCommands.EXIT_CANT_CREATE, "--force", () -> init.init(List.of("--ssh-key", b.toString())));
        assertEquals(cfg, Files.readString(home.resolve("config/io.tunnelmesh.identity.file.cfg")), "unchanged");
        assertEquals(fileKey(a), init.pubkey());
        String out = init.init(List.of("--ssh-key", b.toString(), "--force"));
        assertTrue(out.contains(ED25519_2), out);
        assertEquals(fileKey(b), init.pubkey());
        assertTrue(Files.readString(home.resolve("data/identity/node.pub")).contains(ED25519_2));
    }

    @Test
    void failedForcedInitLeavesThePreviousIdentity() throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        Path a = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        init.init(List.of("--ssh-key", a.toString()));
        Path ecdsa = OpenSshTools.generate(dir, "id_ecdsa", "ecdsa", 256);
        fails(65, "random nonce", () -> init.init(List.of("--force", "--ssh-key", ecdsa.toString())));
        assertEquals(fileKey(a), init.pubkey());
        assertTrue(Files.readString(home.resolve("data/identity/node.pub")).contains(ED25519_1));
        assertTrue(Files.readString(home.resolve("config/io.tunnelmesh.identity.file.cfg")).contains(a.toString()));
    }

    @Test
    void generateWritesAnOpenSshKeyOnlyItsOwnerCanRead() throws Exception {
        String out = init.init(List.of("--generate"));
        Path key = home.resolve("data/identity/id_ed25519");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())));
        String pub = fileKey(key);
        assertTrue(out.contains("node public key: " + pub), out);
        assertEquals(pub, init.pubkey());
        OpenSshTools.assumeTool("ssh-keygen");
        String derivedBySshKeygen = OpenSshTools.run("ssh-keygen", "-y", "-f", key.toString()).trim();
        assertTrue(Files.readString(Path.of(key + ".pub")).startsWith(derivedBySshKeygen), derivedBySshKeygen);

        fails(IdentityCommands.EXIT_CANT_CREATE, "--force", () -> init.init(List.of("--generate")));
        init.init(List.of("--generate", "--force"));
        assertFalse(pub.equals(init.pubkey()), "a new key");
        try (var old = Files.list(key.getParent())) {
            assertTrue(old.anyMatch(p -> p.getFileName().toString().startsWith("id_ed25519.replaced-")),
                    "the replaced key is kept");
        }
    }

    @Test
    void initWithAgentGivesTheSameKeyAsTheFile() throws Exception {
        Path key = TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1");
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(key);
            agentSocket = agent.socket().toString();
            String out = init.init(List.of("--agent", "--key", ED25519_1));
            assertTrue(out.contains("node public key: " + fileKey(key)), out);
            assertTrue(Files.readString(home.resolve("config/io.tunnelmesh.identity.agent.cfg"))
                    .contains("agent.key = " + ED25519_1));
            // switching to the key file of the same SSH key keeps the node's identity
            init.init(List.of("--force", "--ssh-key", key.toString()));
            assertFalse(Files.exists(home.resolve("config/io.tunnelmesh.identity.agent.cfg")));
            assertEquals(fileKey(key), init.pubkey());
        }
    }

    @Test
    void badArgumentsAndMissingThings() {
        fails(IdentityCommands.EXIT_USAGE, "usage: init", () -> init.init(List.of()));
        fails(IdentityCommands.EXIT_USAGE, "only one", () -> init.init(List.of("--agent", "--generate")));
        fails(IdentityCommands.EXIT_USAGE, "never taken on the command line",
                () -> init.init(List.of("--ssh-key", "k", "--passphrase", "x")));
        fails(IdentityCommands.EXIT_USAGE, "needs a value", () -> init.init(List.of("--ssh-key")));
        fails(IdentityCommands.EXIT_NO_INPUT, "does not exist",
                () -> init.init(List.of("--ssh-key", dir.resolve("nope").toString())));
        fails(IdentityCommands.EXIT_CONFIG, "tunnelmesh init", () -> init.pubkey());
    }
}
