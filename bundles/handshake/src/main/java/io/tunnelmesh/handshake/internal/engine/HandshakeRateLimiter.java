package io.tunnelmesh.handshake.internal.engine;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per-source-host token bucket for handshake messages while under load: 20 per second with a burst of 5,
 * as WireGuard does. A host is what its endpoint's {@code dstHostBytes} says: for UDP the address, and 16 bytes
 * (IPv6) are grouped by /64, since one host owns a whole /64. Idle buckets are pruned
 * so a spoofing flood cannot grow the table without bound. Only used on the handshake path; synchronised.
 */
final class HandshakeRateLimiter {
    static final int PER_SECOND = 20;
    static final int BURST = 5;
    private static final long COST = ProtocolTimes.SECOND / PER_SECOND;
    private static final long MAX_TOKENS = COST * BURST;
    private static final long IDLE = ProtocolTimes.SECOND;
    private static final int PRUNE_ABOVE = 4096;

    private static final class Bucket {
        long tokens;
        long lastNanos;
    }

    private final Map<SourceKey, Bucket> buckets = new HashMap<>();
    private long lastPruneNanos = ProtocolTimes.NEVER;

    synchronized boolean allow(byte[] host, long nowNanos) {
        prune(nowNanos);
        SourceKey key = key(host);
        Bucket b = buckets.get(key);
        if (b == null) {
            b = new Bucket();
            b.tokens = MAX_TOKENS - COST;
            b.lastNanos = nowNanos;
            buckets.put(key, b);
            return true;
        }
        b.tokens = Math.min(MAX_TOKENS, b.tokens + Math.max(0, nowNanos - b.lastNanos));
        b.lastNanos = nowNanos;
        if (b.tokens >= COST) {
            b.tokens -= COST;
            return true;
        }
        return false;
    }

    private void prune(long nowNanos) {
        if (buckets.size() < PRUNE_ABOVE && !ProtocolTimes.reached(lastPruneNanos, IDLE, nowNanos)) {
            return;
        }
        lastPruneNanos = nowNanos;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().lastNanos >= IDLE) {
                it.remove();
            }
        }
    }

    /**
     * Up to 8 bytes as they are (an IPv4 address), the first 8 of 16 (an IPv6 /64), otherwise a 64-bit hash of all
     * of them (another transport's host).
     */
    private record SourceKey(int length, long bits) {
    }

    private static SourceKey key(byte[] host) {
        long bits = 0;
        if (host.length <= 8 || host.length == 16) {
            for (int i = 0; i < Math.min(8, host.length); i++) {
                bits = (bits << 8) | (host[i] & 0xff);
            }
        } else {
            for (byte b : host) {
                bits = (bits ^ (b & 0xff)) * 0x100000001b3L; // FNV-1a
            }
        }
        return new SourceKey(host.length, bits);
    }
}
