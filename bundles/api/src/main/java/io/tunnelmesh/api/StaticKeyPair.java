package io.tunnelmesh.api;

import java.util.Arrays;

/**
 * A node's static X25519 key pair. The private half stays in this process: it is handed to the handshake
 * engine and never serialised. {@link #destroy()} wipes it; {@link #toString()} never prints it.
 */
public final class StaticKeyPair {
    private final byte[] privateKey;
    private final NodeKey publicKey;

    /**
     * @param privateKey 32 bytes, clamped or not (X25519 clamps on use); copied
     * @param publicKey  X25519(privateKey, 9), computed by the caller, who owns the curve arithmetic
     */
    public StaticKeyPair(byte[] privateKey, NodeKey publicKey) {
        this.privateKey = Key32.check(privateKey, "private key");
        this.publicKey = publicKey;
    }

    public NodeKey publicKey() {
        return publicKey;
    }

    /** A copy of the private key; the caller wipes it after use. */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    public void destroy() {
        Arrays.fill(privateKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "StaticKeyPair[" + publicKey + "]";
    }
}
