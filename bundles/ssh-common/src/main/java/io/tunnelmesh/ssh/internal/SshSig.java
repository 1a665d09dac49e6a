package io.tunnelmesh.ssh.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * OpenSSH's SSHSIG format (PROTOCOL.sshsig), the one {@code ssh-keygen -Y sign/verify} uses. The preamble keeps
 * these signatures apart from SSH authentication signatures, and the namespace keeps our uses apart from each
 * other.
 */
public final class SshSig {
    public static final String HASH_ALGORITHM = "sha512";
    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final String ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String ARMOR_END = "-----END SSH SIGNATURE-----";

    private SshSig() {
    }

    /** A parsed SSHSIG blob. */
    public record Parsed(SshPublicKey publicKey, String namespace, String hashAlgorithm, byte[] signatureBlob) {
    }

    /**
     * The bytes that are actually signed: {@code "SSHSIG" ‖ string(namespace) ‖ string("") ‖ string("sha512") ‖
     * string(SHA-512(message))}.
     */
    public static byte[] signedData(String namespace, byte[] message) {
        return new SshWire.Writer().raw(MAGIC).string(namespace).string("").string(HASH_ALGORITHM)
                .string(sha512(message)).toByteArray();
    }

    /** The SSHSIG blob that carries a signature: what {@code ssh-keygen -Y sign} writes, before armour. */
    public static byte[] blob(SshPublicKey key, String namespace, byte[] signatureBlob) {
        return new SshWire.Writer().raw(MAGIC).uint32(VERSION).string(key.blob()).string(namespace).string("")
                .string(HASH_ALGORITHM).string(signatureBlob).toByteArray();
    }

    public static Parsed parse(byte[] blob) throws SshWire.MalformedException {
        SshWire.Reader r = new SshWire.Reader(blob);
        if (!Arrays.equals(r.readRaw(MAGIC.length), MAGIC)) {
            throw new SshWire.MalformedException("not an SSHSIG signature");
        }
        long version = r.readUint32();
        if (version != VERSION) {
            throw new SshWire.MalformedException("SSHSIG version " + version + " is not supported");
        }
        SshPublicKey key = SshPublicKey.of(r.readString());
        String namespace = r.readUtf8();
        r.readString(); // reserved
        String hash = r.readUtf8();
        byte[] signature = r.readString();
        if (r.remaining() != 0) {
            throw new SshWire.MalformedException("trailing bytes after the SSHSIG signature");
        }
        return new Parsed(key, namespace, hash, signature);
    }

    /** The armoured text form {@code ssh-keygen -Y verify} reads. */
    public static String armor(byte[] blob) {
        String body = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(blob);
        return ARMOR_BEGIN + "\n" + body + "\n" + ARMOR_END + "\n";
    }

    public static byte[] unarmor(String text) throws SshWire.MalformedException {
        int begin = text.indexOf(ARMOR_BEGIN);
        int end = text.indexOf(ARMOR_END);
        if (begin < 0 || end < begin) {
            throw new SshWire.MalformedException("no SSH SIGNATURE armour");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(begin + ARMOR_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new SshWire.MalformedException("SSH SIGNATURE body is not valid base64");
        }
    }

    static byte[] sha512(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}
