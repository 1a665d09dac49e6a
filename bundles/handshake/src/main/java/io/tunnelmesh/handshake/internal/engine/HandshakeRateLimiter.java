package io.tunnelmesh.handshake.internal.engine;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per-source-address token bucket for handshake messages while under load: 20 per second with a burst of 5,
 * as WireGuard does. IPv6 sources are grouped by /64, since one host owns a whole /64. Idle buckets are pruned
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

    synchronized boolean allow(InetAddress source, long nowNanos) {
        prune(nowNanos);
        SourceKey key = key(source);
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

    /** IPv4 address, or the /64 prefix of an IPv6 address. */
    private record SourceKey(boolean ipv6, long bits) {
    }

    private static SourceKey key(InetAddress address) {
        byte[] a = address.getAddress();
        long bits = 0;
        for (int i = 0; i < Math.min(8, a.length); i++) {
            bits = (bits << 8) | (a[i] & 0xff);
        }
        return new SourceKey(a.length == 16, bits);
    }
}
