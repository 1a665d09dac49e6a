package io.tunnelmesh.keysource.file.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.internal.SshKeyType;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshSigner;
import io.tunnelmesh.ssh.internal.SshWire;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;

/** Signs in process with a private key read from a key file (BouncyCastle), like {@code ssh-keygen -Y sign}. */
final class KeyFileSigner implements SshSigner {
    private final AsymmetricKeyParameter privateKey;
    private final SshPublicKey publicKey;
    private final SshKeyType type;
    private final String description;

    KeyFileSigner(AsymmetricKeyParameter privateKey, SshPublicKey publicKey, SshKeyType type, String description) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.type = type;
        this.description = description;
    }

    @Override
    public SshPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public byte[] sign(byte[] data) throws KeySourceException {
        Signer signer = switch (type) {
            case ED25519 -> new Ed25519Signer();
            case RSA -> new RSADigestSigner(new SHA512Digest());
        };
        signer.init(true, privateKey);
        signer.update(data, 0, data.length);
        try {
            byte[] signature = signer.generateSignature();
            byte[] blob = new SshWire.Writer().string(type.signatureAlgorithm()).string(signature).toByteArray();
            java.util.Arrays.fill(signature, (byte) 0);
            return blob;
        } catch (CryptoException | RuntimeException e) {
            throw new KeySourceException("cannot sign with " + description + ": " + e.getMessage(), ExitCodes.DATA);
        }
    }
}
