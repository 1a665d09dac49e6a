package io.tunnelmesh.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.testing.TestKeys;
import org.junit.jupiter.api.Test;

class SshKeyTypeTest {
    @Test
    void fidoKeyFromOpenSshRegressIsRefusedWithTheReason() throws Exception {
        SshPublicKey sk = SshPublicKey.parseOpenSsh(TestKeys.text("third-party/openssh-regress/ed25519_sk1.pub"));
        assertEquals("sk-ssh-ed25519@openssh.com", sk.type());
        KeySourceException e = assertThrows(KeySourceException.class, () -> SshKeyType.require(sk.type(), "the key"));
        assertEquals(ExitCodes.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("touch"), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-ed25519") && e.getMessage().contains("ssh-rsa"), e.getMessage());
    }

    @Test
    void ecdsaAndDsaAreRefusedBecauseTheirSignaturesAreRandom() {
        for (String type : new String[] {"ecdsa-sha2-nistp256", "ecdsa-sha2-nistp521", "ssh-dss"}) {
            KeySourceException e = assertThrows(KeySourceException.class, () -> SshKeyType.require(type, "k"));
            assertTrue(e.getMessage().contains("random nonce"), e.getMessage());
            assertEquals(ExitCodes.DATA, e.exitCode());
        }
    }

    @Test
    void fingerprintMatchesOpenSsh() throws Exception {
        SshPublicKey k = SshPublicKey.parseOpenSsh(TestKeys.text("third-party/openssh-regress/ed25519_1.pub"));
        assertEquals(TestKeys.text("third-party/openssh-regress/ed25519_1.fp").trim(), k.fingerprint());
    }
}
