package io.tunnelmesh.ssh.internal;

import io.tunnelmesh.api.identity.KeySourceException;

/**
 * Which SSH key types can carry a node identity. The identity is derived from a signature, so the signature must
 * be the same every time: Ed25519 (RFC 8032) and RSA PKCS#1 v1.5 are deterministic; ECDSA and DSA use a random
 * nonce, and FIDO ({@code sk-}) keys sign a counter and need a touch for every signature.
 */
public enum SshKeyType {
    ED25519("ssh-ed25519", "ssh-ed25519", 0),
    /** Signed as {@code rsa-sha2-512}; agent flag 4 = SSH_AGENT_RSA_SHA2_512. */
    RSA("ssh-rsa", "rsa-sha2-512", 4);

    /** Shown in every refusal so the operator knows what to use instead. */
    public static final String SUPPORTED = "use an ssh-ed25519 (recommended) or ssh-rsa key";

    private final String keyType;
    private final String signatureAlgorithm;
    private final int agentSignFlags;

    SshKeyType(String keyType, String signatureAlgorithm, int agentSignFlags) {
        this.keyType = keyType;
        this.signatureAlgorithm = signatureAlgorithm;
        this.agentSignFlags = agentSignFlags;
    }

    public String keyType() {
        return keyType;
    }

    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public int agentSignFlags() {
        return agentSignFlags;
    }

    /**
     * @param what names the key for the message, e.g. a path or a fingerprint
     * @throws KeySourceException (exit {@link ExitCodes#DATA}) saying why this type cannot work and what does
     */
    public static SshKeyType require(String type, String what) throws KeySourceException {
        for (SshKeyType t : values()) {
            if (t.keyType.equals(type)) {
                return t;
            }
        }
        throw new KeySourceException(what + " has key type " + type + ", which cannot be a node identity: "
                + whyNot(type) + "; " + SUPPORTED, ExitCodes.DATA);
    }

    /** True when {@link #require} would accept the type. */
    public static boolean isSupported(String type) {
        for (SshKeyType t : values()) {
            if (t.keyType.equals(type)) {
                return true;
            }
        }
        return false;
    }

    static String whyNot(String type) {
        if (type.startsWith("sk-")) {
            return "FIDO security-key signatures include a counter and need a touch each time, so they never"
                    + " repeat";
        }
        if (type.startsWith("ecdsa-")) {
            return "ECDSA signatures use a random nonce, so the same key would give a different identity each time";
        }
        if (type.equals("ssh-dss")) {
            return "DSA signatures use a random nonce and DSA is obsolete";
        }
        if (type.contains("-cert-")) {
            return "certificates are not supported, configure the plain key";
        }
        return "unknown key type";
    }
}
