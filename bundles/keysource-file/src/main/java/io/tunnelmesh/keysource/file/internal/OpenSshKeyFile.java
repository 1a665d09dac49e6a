package io.tunnelmesh.keysource.file.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.internal.SshKeyType;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshWire;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * Reads an OpenSSH private key file (openssh-key-v1, PROTOCOL.key), plain or passphrase-protected, with the checks
 * OpenSSH makes: private to its owner, intact, and of a key type that can carry an identity. BouncyCastle does the
 * bcrypt-pbkdf and cipher work; this class does the checks and turns every failure into one actionable line.
 */
final class OpenSshKeyFile {
    private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_SIZE = 64 * 1024; // a 16384-bit RSA key file is about 12 KiB
    private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OpenSshKeyFile() {
    }

    static KeyFileSigner load(Path path, Passphrase passphrase) throws KeySourceException {
        String name = path.toString();
        checkAccess(path, name);
        byte[] text = null;
        byte[] blob = null;
        try {
            text = Files.readAllBytes(path);
            blob = decodeArmor(text, name);
            Header header = Header.parse(blob, name);
            SshKeyType type = SshKeyType.require(header.publicKey.type(), "key file " + name);
            AsymmetricKeyParameter privateKey = decrypt(blob, header, passphrase, name);
            if (!header.publicKey.equals(publicKeyOf(privateKey, name))) {
                throw new KeySourceException("key file " + name + " is corrupt: its private key does not match its"
                        + " public key", ExitCodes.DATA);
            }
            return new KeyFileSigner(privateKey, header.publicKey, type, "key file " + name);
        } catch (IOException e) {
            throw new KeySourceException("cannot read key file " + name + ": " + e.getMessage(), ExitCodes.NO_INPUT);
        } finally {
            wipe(text);
            wipe(blob);
        }
    }

    /** OpenSSH refuses a private key that anyone but its owner can access ("UNPROTECTED PRIVATE KEY FILE!"). */
    private static void checkAccess(Path path, String name) throws KeySourceException {
        if (!Files.exists(path)) {
            throw new KeySourceException("key file " + name + " does not exist: give the path of an SSH private key"
                    + " (e.g. ~/.ssh/id_ed25519)", ExitCodes.NO_INPUT);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new KeySourceException("key file " + name + " is not a readable file", ExitCodes.NO_INPUT);
        }
        try {
            if (Files.size(path) > MAX_SIZE) {
                throw new KeySourceException("key file " + name + " is too large to be an SSH private key",
                        ExitCodes.DATA);
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            if (!java.util.Collections.disjoint(perms, NOT_OWNER)) {
                throw new KeySourceException("key file " + name + " is accessible by others ("
                        + PosixFilePermissions.toString(perms) + "), so it is not private: run chmod 600 " + name,
                        ExitCodes.NO_PERMISSION);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): there is nothing comparable to check here
        } catch (IOException e) {
            throw new KeySourceException("cannot read key file " + name + ": " + e.getMessage(), ExitCodes.NO_INPUT);
        }
    }

    /** Works on bytes, not Strings, so every copy of the key text can be wiped. */
    private static byte[] decodeArmor(byte[] text, String name) throws KeySourceException {
        int begin = indexOf(text, ascii(BEGIN), 0);
        if (begin < 0) {
            if (indexOf(text, ascii("PRIVATE KEY-----"), 0) >= 0) {
                throw new KeySourceException("key file " + name + " is in the old PEM format: convert it with"
                        + " ssh-keygen -p -f " + name + " (rewrites it as an OpenSSH key)", ExitCodes.DATA);
            }
            if (startsWith(text, "ssh-") || startsWith(text, "ecdsa-") || startsWith(text, "sk-")) {
                throw new KeySourceException("key file " + name + " is a public key: give the private key file (the"
                        + " one without .pub)", ExitCodes.DATA);
            }
            throw new KeySourceException("key file " + name + " is not an OpenSSH private key (no " + BEGIN + ")",
                    ExitCodes.DATA);
        }
        int end = indexOf(text, ascii(END), begin);
        if (end < 0) {
            throw new KeySourceException("key file " + name + " is truncated (no " + END + " line)", ExitCodes.DATA);
        }
        byte[] body = new byte[end - begin];
        int n = 0;
        for (int i = begin + BEGIN.length(); i < end; i++) {
            if (!Character.isWhitespace(text[i])) {
                body[n++] = text[i];
            }
        }
        byte[] trimmed = Arrays.copyOf(body, n);
        wipe(body);
        try {
            // strict decoder: a MIME decoder would silently skip damaged characters
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new KeySourceException("key file " + name + " is corrupt (invalid base64)", ExitCodes.DATA);
        } finally {
            wipe(trimmed);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] text, String prefix) {
        byte[] p = ascii(prefix);
        return text.length >= p.length && Arrays.equals(text, 0, p.length, p, 0, p.length);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        for (int i = from; i <= hay.length - needle.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static AsymmetricKeyParameter decrypt(byte[] blob, Header header, Passphrase passphrase, String name)
            throws KeySourceException {
        if (!header.encrypted()) {
            return parse(blob, null, name, header, passphrase);
        }
        byte[] secret = passphrase.obtain(name);
        try {
            return parse(blob, secret, name, header, passphrase);
        } finally {
            wipe(secret);
        }
    }

    private static AsymmetricKeyParameter parse(byte[] blob, byte[] secret, String name, Header header,
            Passphrase passphrase) throws KeySourceException {
        try {
            return secret == null ? OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob)
                    : OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob, secret);
        } catch (RuntimeException e) {
            if (secret != null) {
                // A wrong passphrase shows as a checkint mismatch (CTR/CBC) or an authentication-tag failure (AEAD);
                // both look the same as a damaged private section, so say both.
                throw new KeySourceException("wrong passphrase for key file " + name + " (" + header.cipher
                        + "), or its encrypted part is damaged: check " + passphrase.envName() + " or the typed"
                        + " passphrase", ExitCodes.NO_PERMISSION);
            }
            throw new KeySourceException("key file " + name + " is corrupt (" + oneLine(e) + ")", ExitCodes.DATA);
        }
    }

    private static SshPublicKey publicKeyOf(AsymmetricKeyParameter privateKey, String name)
            throws KeySourceException {
        AsymmetricKeyParameter pub;
        if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
            pub = ed.generatePublicKey();
        } else if (privateKey instanceof RSAPrivateCrtKeyParameters rsa) {
            pub = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        } else {
            throw new KeySourceException("key file " + name + " holds a key BouncyCastle reads as "
                    + privateKey.getClass().getSimpleName() + "; " + SshKeyType.SUPPORTED, ExitCodes.DATA);
        }
        try {
            return SshPublicKey.of(OpenSSHPublicKeyUtil.encodePublicKey(pub));
        } catch (IOException | SshWire.MalformedException e) {
            throw new KeySourceException("key file " + name + " is corrupt (" + e.getMessage() + ")", ExitCodes.DATA);
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private static void wipe(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** The unencrypted head of the file: cipher, KDF and the public key, readable without the passphrase. */
    private record Header(String cipher, String kdf, SshPublicKey publicKey) {
        boolean encrypted() {
            return !cipher.equals("none");
        }

        static Header parse(byte[] blob, String name) throws KeySourceException {
            try {
                SshWire.Reader r = new SshWire.Reader(blob);
                if (!Arrays.equals(r.readRaw(MAGIC.length), MAGIC)) {
                    throw new KeySourceException("key file " + name + " is corrupt (no openssh-key-v1 header)",
                            ExitCodes.DATA);
                }
                String cipher = r.readUtf8();
                String kdf = r.readUtf8();
                r.readString(); // KDF options: salt and rounds, read by BouncyCastle
                long count = r.readUint32();
                if (count != 1) {
                    throw new KeySourceException("key file " + name + " holds " + count + " keys; exactly one is"
                            + " supported", ExitCodes.DATA);
                }
                SshPublicKey publicKey = SshPublicKey.of(r.readString());
                r.readString(); // private section: its whole length must be present
                return new Header(cipher, kdf, publicKey);
            } catch (SshWire.MalformedException e) {
                throw new KeySourceException("key file " + name + " is truncated or corrupt (" + e.getMessage() + ")",
                        ExitCodes.DATA);
            }
        }
    }
}
