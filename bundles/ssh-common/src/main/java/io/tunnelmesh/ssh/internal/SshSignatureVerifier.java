package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import java.util.Arrays;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * Checks an SSH signature blob against a public key. A key source never trusts its signer (an agent could be
 * anything) before turning a signature into key material.
 */
public final class SshSignatureVerifier {
    private SshSignatureVerifier() {
    }

    /**
     * @return the inner signature bytes (64 for Ed25519, modulus-sized for RSA), which the caller wipes
     * @throws KeySourceException (exit {@link ExitCodes#DATA}) when the algorithm is wrong or the signature fails
     */
    public static byte[] verifiedSignature(SshPublicKey key, byte[] data, byte[] signatureBlob, String what)
            throws KeySourceException {
        SshKeyType type = SshKeyType.require(key.type(), what);
        byte[] inner;
        try {
            SshWire.Reader r = new SshWire.Reader(signatureBlob);
            String algorithm = r.readUtf8();
            if (!algorithm.equals(type.signatureAlgorithm())) {
                throw new KeySourceException(what + " made a " + algorithm + " signature instead of "
                        + type.signatureAlgorithm() + "; an ssh-agent that cannot sign " + type.signatureAlgorithm()
                        + " cannot be used, use the key file instead", ExitCodes.DATA);
            }
            inner = r.readString();
        } catch (SshWire.MalformedException e) {
            throw new KeySourceException(what + " returned a malformed signature (" + e.getMessage() + ")",
                    ExitCodes.DATA);
        }
        if (!check(type, key, data, inner)) {
            Arrays.fill(inner, (byte) 0);
            throw new KeySourceException(what + " returned a signature that does not verify with its public key "
                    + key.fingerprint() + "; refusing to use it", ExitCodes.DATA);
        }
        return inner;
    }

    /** True when {@code signatureBlob} is a valid signature of {@code data} by {@code key}; never throws. */
    public static boolean verifies(SshPublicKey key, byte[] data, byte[] signatureBlob) {
        if (!SshKeyType.isSupported(key.type())) {
            return false;
        }
        try {
            SshKeyType type = SshKeyType.require(key.type(), "key");
            SshWire.Reader r = new SshWire.Reader(signatureBlob);
            if (!r.readUtf8().equals(type.signatureAlgorithm())) {
                return false;
            }
            byte[] inner = r.readString();
            return r.remaining() == 0 && check(type, key, data, inner);
        } catch (KeySourceException | SshWire.MalformedException e) {
            return false;
        }
    }

    private static boolean check(SshKeyType type, SshPublicKey key, byte[] data, byte[] inner) {
        AsymmetricKeyParameter params;
        try {
            params = OpenSSHPublicKeyUtil.parsePublicKey(key.blob());
        } catch (RuntimeException e) {
            return false; // a blob BouncyCastle cannot read cannot have signed anything we accept
        }
        Signer verifier = switch (type) {
            case ED25519 -> params instanceof Ed25519PublicKeyParameters ? new Ed25519Signer() : null;
            case RSA -> params instanceof RSAKeyParameters ? new RSADigestSigner(new SHA512Digest()) : null;
        };
        if (verifier == null || (type == SshKeyType.ED25519 && inner.length != 64)) {
            return false;
        }
        verifier.init(false, params);
        verifier.update(data, 0, data.length);
        return verifier.verifySignature(inner);
    }
}
