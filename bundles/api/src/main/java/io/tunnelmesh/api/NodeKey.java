package io.tunnelmesh.api;

import java.util.Arrays;
import java.util.Base64;

/**
 * A node's static X25519 public key: its identity on the mesh. Shown in the base64 form `wg` uses, so a
 * stock WireGuard peer can be configured with it directly.
 */
public final class NodeKey implements Comparable<NodeKey> {
    private final byte[] bytes;

    private NodeKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException when {@code raw} is not 32 bytes */
    public static NodeKey of(byte[] raw) {
        return new NodeKey(Key32.check(raw, "public key"));
    }

    /** @throws IllegalArgumentException naming the problem when {@code text} is not a base64 32-byte key */
    public static NodeKey parse(String text) {
        return new NodeKey(Key32.fromBase64(text, "public key"));
    }

    /** A copy of the 32 raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the 32 raw bytes into {@code dst} at {@code offset} without allocating. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, Key32.LENGTH);
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The first characters of the base64 form, for log lines and tables. */
    public String shortForm() {
        return toBase64().substring(0, 8) + "…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Key32.hash(bytes);
    }

    @Override
    public int compareTo(NodeKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
