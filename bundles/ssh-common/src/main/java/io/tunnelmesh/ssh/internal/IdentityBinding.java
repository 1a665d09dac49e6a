package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.identity.KeySourceException;
import java.util.Arrays;

/**
 * The binding a node publishes so others can check that its mesh key belongs to its SSH key: an SSHSIG signature
 * (namespace {@code tunnelmesh-binding-v1}, hash sha512) by the SSH key over the 32 raw bytes of the X25519 public
 * key. The blob is the SSHSIG binary form; {@link SshSig#armor} turns it into text that
 * {@code ssh-keygen -Y verify -n tunnelmesh-binding-v1} accepts for a file holding those 32 bytes.
 */
public final class IdentityBinding {
    public static final String NAMESPACE = "tunnelmesh-binding-v1";

    private IdentityBinding() {
    }

    /** Signs {@code nodeKey} with {@code signer}; the signature is checked before it is returned. */
    public static byte[] sign(SshSigner signer, NodeKey nodeKey) throws KeySourceException {
        SshPublicKey key = signer.publicKey();
        byte[] data = SshSig.signedData(NAMESPACE, nodeKey.toBytes());
        byte[] signatureBlob = signer.sign(data);
        Arrays.fill(SshSignatureVerifier.verifiedSignature(key, data, signatureBlob, signer.describe()), (byte) 0);
        return SshSig.blob(key, NAMESPACE, signatureBlob);
    }

    /**
     * True only when {@code binding} is a valid SSHSIG signature in the binding namespace, made by exactly the SSH
     * key {@code sshPublicKey} (wire blob), over exactly {@code nodeKey}. Never throws on hostile input.
     */
    public static boolean verify(byte[] sshPublicKey, NodeKey nodeKey, byte[] binding) {
        SshSig.Parsed parsed;
        try {
            parsed = SshSig.parse(binding);
        } catch (SshWire.MalformedException | RuntimeException e) {
            return false;
        }
        return Arrays.equals(parsed.publicKey().blob(), sshPublicKey)
                && parsed.namespace().equals(NAMESPACE)
                && parsed.hashAlgorithm().equals(SshSig.HASH_ALGORITHM)
                && SshSignatureVerifier.verifies(parsed.publicKey(), SshSig.signedData(NAMESPACE, nodeKey.toBytes()),
                        parsed.signatureBlob());
    }
}
