package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.IpPrefix;
import java.nio.ByteBuffer;

/**
 * Cryptokey routing table: longest-prefix match from IPv4/IPv6 addresses to values (peers). One
 * path-compressed binary trie per address family. Immutable once built, so the packet threads read it
 * without locks while the control thread builds a replacement; a lookup allocates nothing.
 */
final class AllowedIps<T> {
    private final Node<T> v4;
    private final Node<T> v6;

    private AllowedIps(Node<T> v4, Node<T> v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    static <T> AllowedIps<T> empty() {
        return new AllowedIps<>(null, null);
    }

    /**
     * The value whose prefix is the longest one containing the address stored in {@code buffer} at absolute
     * index {@code offset} ({@code addressLength} 4 or 16 bytes), or null.
     */
    T lookup(ByteBuffer buffer, int offset, int addressLength) {
        Node<T> node = addressLength == 4 ? v4 : addressLength == 16 ? v6 : null;
        int maxBits = addressLength * 8;
        T best = null;
        while (node != null && node.matches(buffer, offset)) {
            if (node.value != null) {
                best = node.value;
            }
            if (node.cidr == maxBits) {
                break;
            }
            node = bit(buffer, offset, node.cidr) == 0 ? node.zero : node.one;
        }
        return best;
    }

    /** Convenience for control paths and tests: {@code address} holds 4 or 16 raw bytes. */
    T lookup(byte[] address) {
        return lookup(ByteBuffer.wrap(address), 0, address.length);
    }

    private static int bit(ByteBuffer buffer, int offset, int index) {
        return (buffer.get(offset + (index >>> 3)) >>> (7 - (index & 7))) & 1;
    }

    private static int bit(byte[] bits, int index) {
        return (bits[index >>> 3] >>> (7 - (index & 7))) & 1;
    }

    /** Collects prefixes; a prefix added again replaces the earlier value, as {@code wg set} moves it. */
    static final class Builder<T> {
        private Node<T> v4;
        private Node<T> v6;

        Builder<T> add(IpPrefix prefix, T value) {
            if (value == null) {
                throw new IllegalArgumentException("value must not be null");
            }
            byte[] bits = prefix.networkBytes();
            if (prefix.isIpv6()) {
                v6 = insert(v6, bits, prefix.length(), value);
            } else {
                v4 = insert(v4, bits, prefix.length(), value);
            }
            return this;
        }

        AllowedIps<T> build() {
            AllowedIps<T> table = new AllowedIps<>(v4, v6);
            v4 = null;
            v6 = null;
            return table;
        }

        private static <T> Node<T> insert(Node<T> node, byte[] key, int cidr, T value) {
            if (node == null) {
                return new Node<>(key, cidr, value);
            }
            int common = Math.min(Math.min(commonBits(node.bits, key), node.cidr), cidr);
            if (common == node.cidr) {
                if (cidr == node.cidr) {
                    node.value = value;
                } else if (bit(key, node.cidr) == 0) {
                    node.zero = insert(node.zero, key, cidr, value);
                } else {
                    node.one = insert(node.one, key, cidr, value);
                }
                return node;
            }
            Node<T> parent = common == cidr ? new Node<>(key, cidr, value) : new Node<>(masked(key, common), common, null);
            parent.attach(node);
            if (common != cidr) {
                parent.attach(new Node<>(key, cidr, value));
            }
            return parent;
        }

        private static int commonBits(byte[] a, byte[] b) {
            for (int i = 0; i < a.length; i++) {
                int x = (a[i] ^ b[i]) & 0xff;
                if (x != 0) {
                    return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
                }
            }
            return a.length * 8;
        }

        private static byte[] masked(byte[] key, int length) {
            byte[] out = key.clone();
            for (int i = 0; i < out.length; i++) {
                int keep = Math.max(0, Math.min(8, length - i * 8));
                out[i] &= (byte) (0xff << (8 - keep));
            }
            return out;
        }
    }

    private static final class Node<T> {
        final byte[] bits;
        final int cidr;
        T value;
        Node<T> zero;
        Node<T> one;

        Node(byte[] bits, int cidr, T value) {
            this.bits = bits;
            this.cidr = cidr;
            this.value = value;
        }

        /** Hangs {@code child} (a longer prefix under this one) on the side its next bit says. */
        void attach(Node<T> child) {
            if (bit(child.bits, cidr) == 0) {
                zero = child;
            } else {
                one = child;
            }
        }

        boolean matches(ByteBuffer buffer, int offset) {
            int full = cidr >>> 3;
            for (int i = 0; i < full; i++) {
                if (buffer.get(offset + i) != bits[i]) {
                    return false;
                }
            }
            int rest = cidr & 7;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (buffer.get(offset + full) & mask) == (bits[full] & 0xff);
        }
    }
}
