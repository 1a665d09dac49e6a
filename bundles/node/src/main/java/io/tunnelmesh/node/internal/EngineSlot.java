package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.support.log.ComponentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which handshake service the node's engine comes from, the engines it replaced (kept open a little so packets
 * already inside them finish) and their drop counts, so totals survive a swap. Used under the data plane's lock.
 */
final class EngineSlot {
    /** A replaced engine stays open this long, so packets already inside it finish before its keys are wiped. */
    private static final long RETIRE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private record Retired(TunnelEngine engine, long closeAt) {
    }

    private final EngineOptions options;
    private final ComponentLog log;
    private final List<Retired> retired = new ArrayList<>();
    private final long[] dropsBefore = new long[DropReason.values().length];
    private HandshakeService service;
    private boolean hadEngine;
    private String error;

    EngineSlot(EngineOptions options, ComponentLog log) {
        this.options = options;
        this.log = log;
    }

    boolean holds(HandshakeService candidate) {
        return candidate == service;
    }

    /**
     * Makes an engine from {@code next} (null: none, or when it fails) and retires {@code previous}.
     *
     * @return the new engine, or null
     */
    TunnelEngine replace(HandshakeService next, TunnelEngine previous, long nowNanos) {
        service = next;
        error = null;
        TunnelEngine engine = null;
        if (next != null) {
            try {
                engine = next.newEngine(options);
            } catch (RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
                error = "handshake service could not create an engine: " + e.getMessage();
                log.error(error);
            }
        }
        if (previous != null) {
            for (DropReason r : DropReason.values()) {
                dropsBefore[r.ordinal()] += previous.drops(r);
            }
            retired.add(new Retired(previous, nowNanos + RETIRE_GRACE_NANOS));
            log.info(engine == null ? "handshake engine stopped: waiting for a handshake service"
                    : "handshake engine replaced: peers handshake again");
        }
        return engine;
    }

    /** Whether an engine existed before the current one (peers then handshake again at once). */
    boolean hadEngine() {
        return hadEngine;
    }

    void settled(TunnelEngine current) {
        hadEngine |= current != null;
    }

    /** Why there is no engine, or null. */
    String error() {
        return error;
    }

    /** Closes the retired engines whose grace time is over. */
    void closeExpired(long nowNanos) {
        retired.removeIf(r -> {
            if (nowNanos - r.closeAt < 0) {
                return false;
            }
            closeQuietly(r.engine);
            return true;
        });
    }

    /** Adds each drop reason's total over every engine so far to {@code into}, by name; zeros left out. */
    void addDrops(TunnelEngine current, Map<String, Long> into) {
        for (DropReason r : DropReason.values()) {
            long n = dropsBefore[r.ordinal()] + (current == null ? 0 : current.drops(r));
            if (n != 0) {
                into.put(r.name(), n);
            }
        }
    }

    void closeAll(TunnelEngine current) {
        for (Retired r : retired) {
            closeQuietly(r.engine);
        }
        retired.clear();
        if (current != null) {
            closeQuietly(current);
        }
    }

    /** An engine of a stopped or replaced bundle may fail to close; its keys die with it anyway. */
    private void closeQuietly(TunnelEngine engine) {
        try {
            engine.close();
        } catch (RuntimeException | LinkageError e) {
            log.warn("closing a replaced handshake engine failed: " + e);
        }
    }
}
