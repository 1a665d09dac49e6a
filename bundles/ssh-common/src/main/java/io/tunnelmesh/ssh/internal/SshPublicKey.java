package io.tunnelmesh.ssh.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** An SSH public key in its wire encoding ({@code string type ‖ key data}), as agents and SSHSIG carry it. */
public final class SshPublicKey {
    private final byte[] blob;
    private final String type;

    private SshPublicKey(byte[] blob, String type) {
        this.blob = blob;
        this.type = type;
    }

    /** @throws SshWire.MalformedException when the blob does not start with a type string */
    public static SshPublicKey of(byte[] blob) throws SshWire.MalformedException {
        String type = new SshWire.Reader(blob).readUtf8();
        if (type.isEmpty()) {
            throw new SshWire.MalformedException("empty key type");
        }
        return new SshPublicKey(blob.clone(), type);
    }

    /** Parses the {@code authorized_keys} form {@code type base64 [comment]} (as in a {@code .pub} file). */
    public static SshPublicKey parseOpenSsh(String line) throws SshWire.MalformedException {
        String[] parts = line.trim().split("\\s+");
        if (parts.length < 2) {
            throw new SshWire.MalformedException("not an OpenSSH public key line");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new SshWire.MalformedException("public key is not valid base64");
        }
        SshPublicKey key = of(blob);
        if (!key.type.equals(parts[0])) {
            throw new SshWire.MalformedException("key type " + parts[0] + " does not match the key data (" + key.type
                    + ")");
        }
        return key;
    }

    public byte[] blob() {
        return blob.clone();
    }

    public String type() {
        return type;
    }

    /** {@code SHA256:} ‖ unpadded base64 of SHA-256(blob), exactly as {@code ssh-keygen -l} prints it. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The {@code authorized_keys} form, for {@code .pub} files. */
    public String toOpenSsh(String comment) {
        String text = type + " " + Base64.getEncoder().encodeToString(blob);
        return comment == null || comment.isEmpty() ? text : text + " " + comment;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SshPublicKey k && Arrays.equals(blob, k.blob);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob);
    }

    @Override
    public String toString() {
        return type + " " + fingerprint();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
