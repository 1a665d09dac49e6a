package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.TransportBinding;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Under load, each source host may put at most {@link #PER_SECOND} handshake messages per second (bursts of
 * {@link #BURST}) into the handshake queue. One flooding host then cannot fill the queue, so a newcomer's
 * initiation still finds room and gets its cookie reply, and the worker spends almost nothing on the flood;
 * the engine's own limit (WireGuard's 20 per second, after mac2) still applies behind it. A host refused
 * {@link #SHED_AFTER} times within a second is handed to {@link InitiationShedding}, so its transport drops the rest.
 * Idle buckets go once a second, and a table that spoofed sources filled anyway starts afresh. Only consulted under
 * load.
 */
final class HandshakeAdmission {
    static final int PER_SECOND = 50;
    static final int BURST = 50;
    private static final long COST = TimeUnit.SECONDS.toNanos(1) / PER_SECOND;
    private static final long MAX_TOKENS = COST * BURST;
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** About 1.5 MiB of buckets. */
    private static final int MAX_HOSTS = 16_384;
    /** Over 300 handshake messages a second from one host: no peer sends that many, only a flood does. */
    static final int SHED_AFTER = 256;

    private static final class Bucket {
        long tokens;
        long lastNanos;
        /** Refusals since the last prune. */
        int refused;
    }

    /** A source host as its transport names it (up to 16 bytes: an IP address). */
    record Host(long high, long low, int length) {
        static Host of(byte[] bytes) {
            long high = 0;
            long low = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (i < 8) {
                    high = (high << 8) | (bytes[i] & 0xff);
                } else {
                    low = (low << 8) | (bytes[i] & 0xff);
                }
            }
            return new Host(high, low, bytes.length);
        }
    }

    private final Map<Host, Bucket> buckets = new HashMap<>();
    private final InitiationShedding shedding;
    private long lastPruneNanos;

    HandshakeAdmission(long nowNanos, InitiationShedding shedding) {
        this.lastPruneNanos = nowNanos;
        this.shedding = shedding;
    }

    /** Allocates a little per call: only consulted under load, never for data. */
    synchronized boolean admit(Endpoint source, TransportBinding via, long nowNanos) {
        Host host = Host.of(source.dstHostBytes());
        if (nowNanos - lastPruneNanos >= IDLE_NANOS) {
            prune(nowNanos);
        }
        if (buckets.size() >= MAX_HOSTS) {
            buckets.clear();
        }
        Bucket b = buckets.get(host);
        if (b == null) {
            b = new Bucket();
            b.tokens = MAX_TOKENS;
            b.lastNanos = nowNanos;
            buckets.put(host, b);
        }
        b.tokens = Math.min(MAX_TOKENS, b.tokens + Math.max(0, nowNanos - b.lastNanos));
        b.lastNanos = nowNanos;
        if (b.tokens < COST) {
            if (++b.refused == SHED_AFTER) {
                shedding.shed(host, source, via, nowNanos);
            }
            return false;
        }
        b.tokens -= COST;
        return true;
    }

    private void prune(long nowNanos) {
        lastPruneNanos = nowNanos;
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            b.refused = 0;
            if (nowNanos - b.lastNanos >= IDLE_NANOS) {
                it.remove();
            }
        }
    }
}
