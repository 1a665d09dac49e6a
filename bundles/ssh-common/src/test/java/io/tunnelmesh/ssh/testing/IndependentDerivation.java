package io.tunnelmesh.ssh.testing;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Base64;
import javax.crypto.KDF;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * Issue 4's derivation rebuilt from {@code ssh-keygen -Y sign} output with the JDK only (its HKDF and XDH), sharing
 * no code with the production path, so a test comparing the two checks the construction, not itself.
 */
public final class IndependentDerivation {
    private IndependentDerivation() {
    }

    /** @return base64 X25519 public key derived from an armoured SSHSIG made by ssh-keygen */
    public static String fromArmoredSshSig(String armored, String hkdfInfo) throws Exception {
        String body = armored.replace("-----BEGIN SSH SIGNATURE-----", "").replace("-----END SSH SIGNATURE-----", "");
        ByteBuffer b = ByteBuffer.wrap(Base64.getMimeDecoder().decode(body));
        b.position(6 + 4); // "SSHSIG", version
        byte[] publicKey = string(b);
        string(b); // namespace
        string(b); // reserved
        string(b); // hash algorithm
        ByteBuffer sig = ByteBuffer.wrap(string(b));
        string(sig); // algorithm name
        byte[] inner = string(sig);
        return x25519PublicBase64(inner, publicKey, hkdfInfo.getBytes(StandardCharsets.US_ASCII));
    }

    public static String x25519PublicBase64(byte[] ikm, byte[] salt, byte[] info) throws Exception {
        KDF hkdf = KDF.getInstance("HKDF-SHA256");
        byte[] priv = hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt).thenExpand(info, 32));
        // The JDK clamps the scalar itself; X25519(priv, 9) is the public key.
        KeyFactory kf = KeyFactory.getInstance("XDH");
        PrivateKey sk = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, priv));
        PublicKey basePoint = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9)));
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(sk);
        ka.doPhase(basePoint, true);
        return Base64.getEncoder().encodeToString(ka.generateSecret());
    }

    private static byte[] string(ByteBuffer b) {
        byte[] out = new byte[b.getInt()];
        b.get(out);
        return out;
    }
}
