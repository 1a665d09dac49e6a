package io.tunnelmesh.handshake.internal.wireguard;

import java.time.Instant;
import java.util.Arrays;

/**
 * TAI64N timestamps as WireGuard puts them in initiations: big-endian seconds 2^62 + 10 + Unix seconds, then
 * big-endian nanoseconds. The responder only accepts a timestamp greater than the last one it accepted from
 * that peer, which is what defeats replayed initiations.
 */
public final class Tai64n {
    public static final int LENGTH = 12;
    private static final long BASE = 0x400000000000000aL;
    /**
     * Nanoseconds are rounded down to a multiple of 2^24 ns (about 16.8 ms), as current WireGuard versions do,
     * so the timestamp does not reveal the sender's precise clock.
     */
    private static final int WHITENER_MASK = 0x1000000 - 1;

    private Tai64n() {
    }

    public static byte[] of(Instant instant) {
        byte[] out = new byte[LENGTH];
        long seconds = BASE + instant.getEpochSecond();
        int nanos = instant.getNano() & ~WHITENER_MASK;
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (seconds >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
        return out;
    }

    /**
     * The timestamp for the next initiation to one peer: the wall time, but always greater than
     * {@code previous} (null for none), so a clock that steps back cannot make our own initiations look replayed.
     */
    public static byte[] next(Instant now, byte[] previous) {
        byte[] t = of(now);
        if (previous == null || isAfter(t, previous)) {
            return t;
        }
        return increment(previous);
    }

    /** Whether {@code a} is strictly later than {@code b} (bytewise big-endian comparison). */
    public static boolean isAfter(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) > 0;
    }

    private static byte[] increment(byte[] t) {
        byte[] out = t.clone();
        for (int i = LENGTH - 1; i >= 0; i--) {
            if (++out[i] != 0) {
                break;
            }
        }
        return out;
    }
}
