package io.tunnelmesh.control.relay;

import io.netty.buffer.ByteBuf;

/**
 * What was found lately for a 32-byte public key as it lies in a relay frame (a recipient's link, a sender's
 * endpoint), looked up by the key's four longs: no map lookup and no key object per frame. Direct-mapped: a key
 * has one slot, and a newer key with the same slot replaces the older one. For one event-loop thread.
 */
public final class RelayKeyCache<T> {
    private final long[] keys;
    private final Object[] values;
    private final int mask;

    /** @param slots a power of two */
    public RelayKeyCache(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("relay key cache: " + slots + " slots is not a power of two");
        }
        this.keys = new long[slots * 4];
        this.values = new Object[slots];
        this.mask = slots - 1;
    }

    /** The value cached for the key at {@code at} in {@code frame}, or null. */
    @SuppressWarnings("unchecked")
    public T get(ByteBuf frame, int at) {
        long k0 = frame.getLong(at);
        long k3 = frame.getLong(at + 24);
        int slot = slot(k0, k3);
        Object value = values[slot];
        int base = slot * 4;
        if (value != null && keys[base] == k0 && keys[base + 3] == k3 && keys[base + 1] == frame.getLong(at + 8)
                && keys[base + 2] == frame.getLong(at + 16)) {
            return (T) value;
        }
        return null;
    }

    /** Caches {@code value} for the key at {@code at} in {@code frame}. */
    public void put(ByteBuf frame, int at, T value) {
        long k0 = frame.getLong(at);
        long k3 = frame.getLong(at + 24);
        int slot = slot(k0, k3);
        int base = slot * 4;
        keys[base] = k0;
        keys[base + 1] = frame.getLong(at + 8);
        keys[base + 2] = frame.getLong(at + 16);
        keys[base + 3] = k3;
        values[slot] = value;
    }

    private int slot(long k0, long k3) {
        return (int) (k0 ^ (k0 >>> 29) ^ k3) & mask;
    }
}
