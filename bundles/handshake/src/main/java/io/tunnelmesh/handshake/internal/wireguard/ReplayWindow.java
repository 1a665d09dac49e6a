package io.tunnelmesh.handshake.internal.wireguard;

/**
 * Anti-replay filter for transport counters (RFC 6479 style, the size WireGuard uses): a ring of 128 words of
 * 64 bits; the newest word may be partly filled, so the usable window is 8192 − 64 = 8128 counters behind the
 * highest seen. Only counters that already authenticated may be fed in, or a forger could move the window.
 * Not thread-safe: the owning keypair serialises calls.
 */
public final class ReplayWindow {
    private static final int WORD_BITS_LOG = 6;
    private static final int WORD_BITS = 1 << WORD_BITS_LOG;
    private static final int RING_WORDS = 128;
    public static final int WINDOW = (RING_WORDS - 1) * WORD_BITS;
    /** REJECT_AFTER_MESSAGES = 2^64 − 2^13 − 1 as an unsigned 64-bit value. */
    public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

    private final long[] ring = new long[RING_WORDS];
    private long highest;

    /** @return whether {@code counter} is new and inside the window; if so it is now marked as seen */
    public boolean accept(long counter) {
        if (Long.compareUnsigned(counter, REJECT_AFTER_MESSAGES) >= 0) {
            return false;
        }
        long word = counter >>> WORD_BITS_LOG;
        if (Long.compareUnsigned(counter, highest) > 0) {
            long current = highest >>> WORD_BITS_LOG;
            long advance = word - current;
            if (Long.compareUnsigned(advance, RING_WORDS) > 0) {
                advance = RING_WORDS;
            }
            for (long i = current + 1; i <= current + advance; i++) {
                ring[(int) (i & (RING_WORDS - 1))] = 0;
            }
            highest = counter;
        } else if (Long.compareUnsigned(highest - counter, WINDOW) > 0) {
            return false;
        }
        int slot = (int) (word & (RING_WORDS - 1));
        long bit = 1L << (counter & (WORD_BITS - 1));
        long old = ring[slot];
        ring[slot] = old | bit;
        return (old & bit) == 0;
    }
}
