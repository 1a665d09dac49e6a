package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.transport.Transport;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Runs the node's own packet path, end to end, before the first real packet: two {@link WarmupNode}s with
 * random keys handshake over two real bindings of the node's UDP transport on loopback and exchange a few
 * thousand packets, so the JIT has compiled the router, the engine, the cipher and the transport's send and
 * receive code. Without it an idle ping runs interpreted for minutes (at 20 pings a second the code needs
 * thousands of calls to be compiled): every hop of a first ping took 0.4-0.6 ms where wireguard-go's take
 * 0.05-0.13 ms (docs/PERFORMANCE.md). Warming only the engine was not enough: the transport and the node's
 * own code were most of it. The warm-up nodes share nothing with the node's engine, peers or counters; their
 * sockets and keys are closed when it ends.
 */
final class PathWarmup {
    /** Enough calls for C2 to compile the packet path (its thresholds are a few thousand calls). */
    static final int ROUND_TRIPS = 10_000;
    /** A slow machine stops early rather than keep a core busy. */
    static final long BUDGET_NANOS = 3_000_000_000L;
    /** The first handshake runs interpreted; a host without loopback never answers. */
    private static final long HANDSHAKE_TIMEOUT_NANOS = 2_000_000_000L;
    /** Packets in flight before the sender waits for the receiver, so the socket buffers never overflow. */
    private static final int WINDOW = 32;
    private static final long WINDOW_TIMEOUT_NANOS = 500_000_000L;

    private final HandshakeService service;
    private final EngineOptions options;
    private final Transport transport;

    PathWarmup(HandshakeService service, EngineOptions nodeOptions, Transport transport) {
        this.service = service;
        this.options = nodeOptions;
        this.transport = transport;
    }

    /** @return round trips made; 0 when the path could not be set up (the node works anyway, only slower at first) */
    int run(BooleanSupplier cancelled) {
        try (WarmupNode a = new WarmupNode(service, options, transport, "192.0.2.1");
             WarmupNode b = new WarmupNode(service, options, transport, "192.0.2.2")) {
            if (!a.isBound() || !b.isBound()) {
                return 0;
            }
            a.introduce(b);
            b.introduce(a);
            a.send(b, 84); // queued, starts the handshake, released when it completes
            if (!arrived(b, 1, HANDSHAKE_TIMEOUT_NANOS, cancelled)) {
                return 0;
            }
            long deadline = System.nanoTime() + BUDGET_NANOS;
            int done = 0;
            while (done < ROUND_TRIPS && !cancelled.getAsBoolean() && System.nanoTime() - deadline < 0) {
                int size = (done & 1) == 0 ? 84 : options.mtu(); // a ping and a full-size packet
                a.send(b, size);
                b.send(a, size);
                done++;
                if (done % WINDOW == 0 && !(arrived(b, done + 1, WINDOW_TIMEOUT_NANOS, cancelled)
                        && arrived(a, done, WINDOW_TIMEOUT_NANOS, cancelled))) {
                    return done; // lost packets or a busy machine: what ran so far still helps
                }
            }
            return done;
        }
    }

    /** Waits, bounded, until {@code node} has received {@code count} packets. */
    private static boolean arrived(WarmupNode node, long count, long timeoutNanos, BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (node.tun.written.get() < count) {
            if (cancelled.getAsBoolean() || System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }
}
