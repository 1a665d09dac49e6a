package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.identity.KeySourceException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The one derivation of a node's static X25519 key from an SSH key (issue 4), shared by the file and the agent key
 * source so the same SSH key gives the same mesh identity either way:
 * <pre>
 * data = SSHSIG signed data, namespace "tunnelmesh-static-key-v1", hash sha512, message "tunnelmesh static key v1"
 * sig  = inner signature of SIGN(data)   (ssh-ed25519, or rsa-sha2-512 for RSA), verified against the public key
 * priv = clamp(HKDF-SHA256(ikm = sig, salt = SSH public key wire blob, info = "tunnelmesh x25519 static key v1", 32))
 * pub  = X25519(priv, 9)
 * </pre>
 * {@code ssh-keygen -Y sign -n tunnelmesh-static-key-v1} over the message signs exactly these bytes. The signature
 * is as secret as the derived key: it is never logged, published or kept.
 */
public final class StaticKeyDerivation {
    public static final String NAMESPACE = "tunnelmesh-static-key-v1";
    public static final byte[] MESSAGE = "tunnelmesh static key v1".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] HKDF_INFO = "tunnelmesh x25519 static key v1".getBytes(StandardCharsets.US_ASCII);

    private StaticKeyDerivation() {
    }

    public static StaticKeyPair derive(SshSigner signer) throws KeySourceException {
        SshPublicKey key = signer.publicKey();
        SshKeyType.require(key.type(), signer.describe());
        byte[] data = SshSig.signedData(NAMESPACE, MESSAGE);
        byte[] signatureBlob = signer.sign(data);
        byte[] signature = null;
        try {
            signature = SshSignatureVerifier.verifiedSignature(key, data, signatureBlob, signer.describe());
            return keyPair(signature, key.blob(), HKDF_INFO);
        } finally {
            Arrays.fill(signatureBlob, (byte) 0);
            if (signature != null) {
                Arrays.fill(signature, (byte) 0);
            }
        }
    }

    /** HKDF-SHA256 → clamped X25519 private key → key pair. Public for tests of the plumbing with other strings. */
    public static StaticKeyPair keyPair(byte[] ikm, byte[] salt, byte[] info) {
        byte[] priv = new byte[X25519.SCALAR_SIZE];
        byte[] pub = new byte[X25519.POINT_SIZE];
        try {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(ikm, salt, info));
            hkdf.generateBytes(priv, 0, priv.length);
            clamp(priv);
            X25519.scalarMultBase(priv, 0, pub, 0);
            return new StaticKeyPair(priv, NodeKey.of(pub));
        } finally {
            Arrays.fill(priv, (byte) 0); // StaticKeyPair keeps its own copy
        }
    }

    /** RFC 7748 §5 clamping, so the stored bytes are the scalar actually used. */
    static void clamp(byte[] k) {
        k[0] &= (byte) 248;
        k[31] &= 127;
        k[31] |= 64;
    }
}
