package io.tunnelmesh.ssh.testing;

import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshSigner;
import io.tunnelmesh.ssh.internal.SshWire;
import java.io.IOException;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/** An Ed25519 signer from a raw 32-byte seed (RFC 8032 test keys), for tests of the shared code alone. */
public final class SeedSigner implements SshSigner {
    private final Ed25519PrivateKeyParameters key;
    private final SshPublicKey publicKey;

    public SeedSigner(byte[] seed) throws IOException, SshWire.MalformedException {
        this.key = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = SshPublicKey.of(OpenSSHPublicKeyUtil.encodePublicKey(key.generatePublicKey()));
    }

    @Override
    public SshPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String describe() {
        return "test seed key";
    }

    @Override
    public byte[] sign(byte[] data) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, key);
        s.update(data, 0, data.length);
        return new SshWire.Writer().string("ssh-ed25519").string(s.generateSignature()).toByteArray();
    }
}
