package io.tunnelmesh.tun.internal;

import java.nio.ByteBuffer;

/**
 * Big-endian header fields read and written byte by byte at absolute offsets, so a caller's buffer works whatever
 * its {@link ByteBuffer#order()} and its position is never moved.
 */
final class NetworkOrder {
    private NetworkOrder() {
    }

    static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    static int u16(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) << 8 | (b.get(at + 1) & 0xff);
    }

    static int u32(ByteBuffer b, int at) {
        return u16(b, at) << 16 | u16(b, at + 2);
    }

    static void put16(ByteBuffer b, int at, int value) {
        b.put(at, (byte) (value >>> 8));
        b.put(at + 1, (byte) value);
    }

    static void put32(ByteBuffer b, int at, int value) {
        put16(b, at, value >>> 16);
        put16(b, at + 2, value);
    }

    /** Whether {@code length} bytes at {@code a[ai]} equal those at {@code b[bi]}. */
    static boolean equal(ByteBuffer a, int ai, ByteBuffer b, int bi, int length) {
        int i = 0;
        if (a.order() == b.order()) { // then equal bytes load as equal longs
            for (; i + 8 <= length; i += 8) {
                if (a.getLong(ai + i) != b.getLong(bi + i)) {
                    return false;
                }
            }
        }
        for (; i < length; i++) {
            if (a.get(ai + i) != b.get(bi + i)) {
                return false;
            }
        }
        return true;
    }
}
