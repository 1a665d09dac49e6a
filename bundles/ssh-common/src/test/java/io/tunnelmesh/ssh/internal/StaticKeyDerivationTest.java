package io.tunnelmesh.ssh.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.ssh.testing.IndependentDerivation;
import io.tunnelmesh.ssh.testing.SeedSigner;
import io.tunnelmesh.ssh.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The derivation's plumbing against the worked example in ssh-x25519-vectors.json and an independent rebuild. */
class StaticKeyDerivationTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String EXAMPLE = TestKeys.text("ssh-x25519-vectors.json");
    private static final byte[] RFC8032_SEED = HEX.parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    /** Reads one string field of the proposed_derivation_example object (placeholder namespace/info strings). */
    private static String example(String field) {
        int start = EXAMPLE.indexOf("\"proposed_derivation_example\"");
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(EXAMPLE);
        if (!m.find(start)) {
            throw new IllegalArgumentException(field);
        }
        return m.group(1);
    }

    @Test
    void sshsigSignedDataMatchesTheWorkedExample() {
        byte[] data = SshSig.signedData(example("namespace"), example("message").getBytes(StandardCharsets.US_ASCII));
        assertEquals(example("signed_data_hex"), HEX.formatHex(data));
    }

    @Test
    void hkdfAndClampMatchTheWorkedExample() {
        StaticKeyPair pair = StaticKeyDerivation.keyPair(HEX.parseHex(example("ed25519_signature_hex")),
                HEX.parseHex(example("hkdf_salt_hex")), example("hkdf_info").getBytes(StandardCharsets.US_ASCII));
        assertEquals(example("x25519_private_hex"), HEX.formatHex(pair.privateKey()));
        assertEquals(example("x25519_public_hex"), HEX.formatHex(pair.publicKey().toBytes()));
    }

    @Test
    void signingTheExampleDataGivesTheRecordedAgentSignature() throws Exception {
        SeedSigner signer = new SeedSigner(RFC8032_SEED);
        assertEquals(example("hkdf_salt_hex"), HEX.formatHex(signer.publicKey().blob()));
        byte[] blob = signer.sign(HEX.parseHex(example("signed_data_hex")));
        String response = example("agent_sign_response_hex");
        // the agent's response is uint32 len ‖ 14 ‖ string(signature blob)
        assertEquals(response.substring(2 * 9), HEX.formatHex(blob));
    }

    @Test
    void productDerivationEqualsTheJdkRebuild() throws Exception {
        SeedSigner signer = new SeedSigner(RFC8032_SEED);
        StaticKeyPair pair = StaticKeyDerivation.derive(signer);
        SshWire.Reader r = new SshWire.Reader(signer.sign(SshSig.signedData(StaticKeyDerivation.NAMESPACE,
                StaticKeyDerivation.MESSAGE)));
        r.readString(); // algorithm
        byte[] sig = r.readString();
        String expected = IndependentDerivation.x25519PublicBase64(sig, signer.publicKey().blob(),
                "tunnelmesh x25519 static key v1".getBytes(StandardCharsets.US_ASCII));
        assertEquals(expected, pair.publicKey().toBase64());
        assertEquals(pair.publicKey(), StaticKeyDerivation.derive(signer).publicKey(), "deterministic");
        // not the birational-map key of path (a) in the notes
        assertNotEquals("d85e07ec22b0ad881537c2f44d662d1a143cf830c57aca4305d85c7a90f6b62e",
                HEX.formatHex(pair.publicKey().toBytes()));
        byte[] priv = pair.privateKey();
        assertEquals(0, priv[0] & 7);
        assertEquals(64, priv[31] & 0xc0);
        pair.destroy();
        assertArrayEquals(new byte[32], pair.privateKey(), "destroy wipes the private key");
    }
}
