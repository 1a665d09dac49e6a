package io.tunnelmesh.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.ssh.testing.OpenSshTools;
import io.tunnelmesh.ssh.testing.SeedSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityBindingTest {
    private static final byte[] SEED_A = HexFormat.of().parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final byte[] SEED_B = HexFormat.of().parseHex(
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

    @Test
    void bindingVerifiesWithItsSshKeyOnly() throws Exception {
        SeedSigner a = new SeedSigner(SEED_A);
        SeedSigner b = new SeedSigner(SEED_B);
        NodeIdentity id = IdentityDerivation.derive(a, null);
        assertTrue(IdentityBinding.verify(a.publicKey().blob(), id.publicKey(), id.binding()));
        assertFalse(IdentityBinding.verify(b.publicKey().blob(), id.publicKey(), id.binding()), "other SSH key");
        NodeIdentity other = IdentityDerivation.derive(b, null);
        assertFalse(IdentityBinding.verify(a.publicKey().blob(), other.publicKey(), id.binding()), "other node key");
        assertFalse(IdentityBinding.verify(b.publicKey().blob(), id.publicKey(), other.binding()),
                "b's binding is over b's node key");
    }

    @Test
    void everyChangedByteBreaksTheBinding() throws Exception {
        SeedSigner a = new SeedSigner(SEED_A);
        NodeIdentity id = IdentityDerivation.derive(a, null);
        byte[] binding = id.binding();
        for (int i = 0; i < binding.length; i++) {
            byte[] changed = binding.clone();
            changed[i] ^= 0x01;
            assertFalse(IdentityBinding.verify(a.publicKey().blob(), id.publicKey(), changed), "byte " + i);
        }
        byte[] key = id.publicKey().toBytes();
        for (int i = 0; i < key.length; i++) {
            byte[] changed = key.clone();
            changed[i] ^= (byte) 0x80;
            assertFalse(IdentityBinding.verify(a.publicKey().blob(), NodeKey.of(changed), binding), "key byte " + i);
        }
        assertFalse(IdentityBinding.verify(a.publicKey().blob(), id.publicKey(), new byte[0]));
        assertFalse(IdentityBinding.verify(a.publicKey().blob(), id.publicKey(),
                java.util.Arrays.copyOf(binding, binding.length - 1)));
    }

    @Test
    void bindingInADifferentNamespaceIsRejected() throws Exception {
        SeedSigner a = new SeedSigner(SEED_A);
        NodeKey key = IdentityDerivation.derive(a, null).publicKey();
        byte[] wrongNs = SshSig.blob(a.publicKey(), StaticKeyDerivation.NAMESPACE,
                a.sign(SshSig.signedData(StaticKeyDerivation.NAMESPACE, key.toBytes())));
        assertFalse(IdentityBinding.verify(a.publicKey().blob(), key, wrongNs));
    }

    /** The binding is a standard SSHSIG: OpenSSH's own verifier accepts it for a file holding the 32 key bytes. */
    @Test
    void sshKeygenVerifiesTheBinding(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        SeedSigner a = new SeedSigner(SEED_A);
        NodeIdentity id = IdentityDerivation.derive(a, null);
        Path data = Files.write(dir.resolve("node.key"), id.publicKey().toBytes());
        Path sig = Files.writeString(dir.resolve("node.key.sig"), SshSig.armor(id.binding()));
        Path allowed = Files.writeString(dir.resolve("allowed_signers"),
                "node@test " + a.publicKey().toOpenSsh(null) + "\n");
        String out = OpenSshTools.run("sh", "-c", "ssh-keygen -Y verify -f " + allowed + " -I node@test -n "
                + IdentityBinding.NAMESPACE + " -s " + sig + " < " + data + " 2>&1");
        assertTrue(out.contains("Good \"" + IdentityBinding.NAMESPACE + "\" signature"), out);
        assertEquals(a.publicKey().fingerprint(), id.sshFingerprint());
    }
}
