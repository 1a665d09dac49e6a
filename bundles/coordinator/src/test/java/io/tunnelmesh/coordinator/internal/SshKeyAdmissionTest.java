package io.tunnelmesh.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.coordinator.NodeRecord;
import io.tunnelmesh.control.Welcome;
import io.tunnelmesh.ssh.internal.IdentityBinding;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshSig;
import io.tunnelmesh.ssh.testing.OpenSshTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admission without a token secret: a real ssh-keygen key listed in authorized_keys, and its binding. */
class SshKeyAdmissionTest {
    @TempDir
    Path dir;
    private TestCoordinator c;
    private Path keys;

    @BeforeEach
    void start() throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        keys = Files.createDirectory(dir.resolve("keys"));
        c = new TestCoordinator(Files.createDirectory(dir.resolve("coordinator")));
    }

    @AfterEach
    void stop() throws Exception {
        if (c != null) {
            c.close();
        }
    }

    @Test
    void listedKeyWithValidBindingJoinsWithoutAToken() throws Exception {
        Path key = OpenSshTools.generate(keys, "alice", "ed25519", 0);
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        Files.writeString(c.dir.resolve("authorized_keys"),
                "# operators\nfrom=\"127.0.0.1\",command=\"echo a b\" " + pub + "\n");
        TestNode node = bound(key, new TestNode("alice-laptop"));

        Welcome yes = node.join(c, null, null);
        assertNull(yes.error(), yes.error());
        String fingerprint = SshPublicKey.parseOpenSsh(pub).fingerprint();
        assertEquals(fingerprint, yes.self().sshFingerprint());
        NodeRecord stored = c.store.node(node.publicKey()).orElseThrow();
        assertEquals("", stored.tokenId(), "admitted by SSH key, not by a token");
        assertEquals(fingerprint, stored.sshFingerprint());
    }

    @Test
    void unlistedKeyOrNoKeyOrAForgedBindingIsRefused() throws Exception {
        Path listed = OpenSshTools.generate(keys, "listed", "ed25519", 0);
        Path other = OpenSshTools.generate(keys, "other", "ed25519", 0);
        Files.writeString(c.dir.resolve("authorized_keys"), Files.readString(Path.of(listed + ".pub")));

        Welcome unlisted = bound(other, new TestNode("mallory")).join(c, null, null);
        assertEquals("NOT_ADMITTED", unlisted.errorCode());
        assertTrue(unlisted.error().contains("authorized_keys"), unlisted.error());

        Welcome nothing = new TestNode("nobody").join(c, null, null);
        assertEquals("NOT_ADMITTED", nothing.errorCode());

        // a binding made for another node's key does not admit this one
        TestNode victim = bound(listed, new TestNode("victim"));
        TestNode thief = new TestNode("thief");
        thief.sshPublicKey = victim.sshPublicKey;
        thief.binding = victim.binding;
        Welcome forged = thief.join(c, null, null);
        assertEquals("NOT_ADMITTED", forged.errorCode());
        assertTrue(forged.error().contains("binding"), forged.error());
        assertTrue(c.coordinator.nodes().isEmpty());
    }

    @Test
    void authorizedKeysIsReReadWhenItChanges() throws Exception {
        Path key = OpenSshTools.generate(keys, "late", "ed25519", 0);
        TestNode node = bound(key, new TestNode("late"));
        assertEquals("NOT_ADMITTED", node.join(c, null, null).errorCode());
        Files.writeString(c.dir.resolve("authorized_keys"), Files.readString(Path.of(key + ".pub")));
        assertNull(node.join(c, null, null).error());
    }

    /** Gives the node its SSH public key and the SSHSIG over its X25519 key, as `tunnelmesh init` would. */
    private static TestNode bound(Path key, TestNode node) throws Exception {
        SshPublicKey pub = SshPublicKey.parseOpenSsh(Files.readString(Path.of(key + ".pub")));
        String armored = OpenSshTools.sshKeygenSign(Map.of(), key, IdentityBinding.NAMESPACE, node.publicKey().toBytes());
        node.sshPublicKey = Base64.getEncoder().encodeToString(pub.blob());
        node.binding = Base64.getEncoder().encodeToString(SshSig.unarmor(armored));
        return node;
    }
}
