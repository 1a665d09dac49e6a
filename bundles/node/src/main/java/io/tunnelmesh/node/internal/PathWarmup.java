package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.transport.Transport;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
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
 *
 * <p>It runs in short bursts, each after the JIT compilers have gone quiet, until a burst makes them compile
 * nothing more (or the budget is spent): while the node starts, C2's queue is long, HotSpot then raises its
 * compile thresholds in proportion (Tier4LoadFeedback), and on a busy machine C2 needs seconds for the path, so
 * one 3-second burst left most of the path in C1's slow profiling tier (3). The traffic is what a real TUN carries too (IPv4 and IPv6, small and
 * full-size, some without a route), so the compiled code does not fall back to the interpreter (an "unstable
 * if" deoptimization) at the first real IPv6 packet.
 *
 * <p>Each burst also does what real traffic does that a steady exchange would not, because C2 compiles only the
 * branches the profile saw and a branch first taken later sends the compiled code back to the interpreter (for
 * minutes, at idle packet rates):
 * <ul>
 * <li>a passive keepalive, sent by a node's {@link PeerTimers} ten seconds after data it did not answer: an empty
 * packet to seal and to receive ({@code WireGuardPeer.receivedData} at the payload-length test);</li>
 * <li>that keepalive from a thread that has never sealed, as the node's timer thread and TUN reader are at their
 * first packet: the thread's new JDK cipher has no previous key ({@code Cipher.init} and
 * {@code MessageDigest.isEqual} at their null tests), nor a {@code ThreadLocalRandom};</li>
 * <li>two packets in a row to one peer, sealed on one thread, as a node's TUN reader does (the JDK compares the key
 * with the previous one: equal, where alternating nodes always gave different keys);</li>
 * <li>a new peer, twice: node b is replaced before the IPv4-only burst and again after it (with both routes back),
 * so a busy binding of the transport closes (Netty's shutdown branches in event loop code the node's own binding shares), a new session
 * takes its first packet (the responder confirming its keypair), and the node's packet code sees a third TUN class
 * (see {@link DiscardTun}). Replacing b before every early burst and every 4th later one removed the last Netty
 * shutdown traps too, but each new binding raised the node's peak RSS (121 -> 157 MiB after the warm-up, 138 with
 * no replacement) for no round-trip time that bench/dataplane/hops.sh could tell apart;</li>
 * <li>pings that the other node's device answers during the write, so its receive path seals and sends the answer
 * at once ({@link TunReader#takeReady(int)}), as a node does with the kernel's echo replies and ACKs;</li>
 * <li>several datagrams to one peer sent together, as a TUN reader's batch (the transport joins them into one
 * segmented send: equal sizes, and a shorter last one).</li>
 * </ul>
 */
final class PathWarmup {
    /**
     * The warm-up starts this long after the node comes up: on 2 cores it otherwise competes with the rest of the
     * start and with the first handshake, and start to first packet went from 1.4 s to 1.8-2.4 s (goal 1.5 s).
     */
    static final long START_DELAY_NANOS = 2_000_000_000L;
    /** Round trips per burst; between bursts the compilers catch up. */
    static final int BURST_ROUND_TRIPS = 1_000;
    /** At least this many bursts (C2's unscaled thresholds are 5,000 calls; both nodes share the code). */
    static final int MIN_BURSTS = 6;
    /** A slow machine stops early rather than keep a core busy. */
    static final long BUDGET_NANOS = 10_000_000_000L;
    /** The first handshake runs interpreted; a host without loopback never answers. */
    private static final long HANDSHAKE_TIMEOUT_NANOS = 2_000_000_000L;
    /** Packets in flight before the sender waits for the receiver, so the socket buffers never overflow. */
    private static final int WINDOW = 32;
    private static final long WINDOW_TIMEOUT_NANOS = 500_000_000L;
    /** The compilers count as quiet once their total time has not grown for this long (one C2 compile can take it). */
    private static final long QUIET_NANOS = 100_000_000L;
    /** The longest wait for quiet compilers after a burst (a busy machine may never get there). */
    private static final long QUIET_WAIT_NANOS = 1_000_000_000L;
    /** Every 16th round trip also sends a packet no peer routes, as real traffic does. */
    private static final int UNROUTED_EVERY = 16;
    /** Every 8th round trip b also sends three packets at once (two full-size, one small). */
    private static final int TOGETHER_EVERY = 8;
    /**
     * In this burst node a routes IPv4 only to node b: real nodes often have no IPv6 peer, and the kernel's own IPv6
     * packets (router solicitations, MLD) then meet an empty IPv6 table ({@code AllowedIps.lookup} "unstable if"
     * deoptimization some seconds after the warm-up, when the warm-up nodes had always routed both families).
     */
    private static final int IPV4_ONLY_BURST = 2;
    private static final byte[] UNROUTED_V4 = {(byte) 198, 51, 100, 1};
    /**
     * How far ahead the keepalive's timers look: WireGuard owes a passive keepalive 10 s after data it did not
     * answer (Keepalive-Timeout).
     */
    static final long KEEPALIVE_OWED_NANOS = 11_000_000_000L;

    private final HandshakeService service;
    private final EngineOptions options;
    private final Transport transport;
    private final long budgetNanos;
    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();

    PathWarmup(HandshakeService service, EngineOptions nodeOptions, Transport transport) {
        this(service, nodeOptions, transport, BUDGET_NANOS);
    }

    PathWarmup(HandshakeService service, EngineOptions nodeOptions, Transport transport, long budgetNanos) {
        this.service = service;
        this.options = nodeOptions;
        this.transport = transport;
        this.budgetNanos = budgetNanos;
    }

    /** @return round trips made; 0 when the path could not be set up (the node works anyway, only slower at first) */
    int run(BooleanSupplier cancelled) {
        WarmupNode a = new WarmupNode(service, options, transport, "192.0.2.1", "2001:db8::1", 0);
        WarmupNode b = null;
        try {
            b = new WarmupNode(service, options, transport, "192.0.2.2", "2001:db8::2", 1);
            if (!a.isBound() || !pair(a, b, true, cancelled)) {
                return 0;
            }
            long deadline = System.nanoTime() + budgetNanos;
            int done = 0;
            for (int burst = 1; !over(deadline, cancelled); burst++) {
                long compiledBefore = compileMillis();
                boolean ipv6 = burst != IPV4_ONLY_BURST;
                if (burst == IPV4_ONLY_BURST || burst == IPV4_ONLY_BURST + 1) { // a's route to b changes with b
                    b.close();
                    b = new WarmupNode(service, options, transport, "192.0.2.2", "2001:db8::2", burst);
                    if (!pair(a, b, ipv6, cancelled)) {
                        break;
                    }
                }
                int made = exchange(a, b, ipv6, BURST_ROUND_TRIPS, deadline, cancelled);
                done += made;
                if (made < BURST_ROUND_TRIPS) {
                    break;
                }
                boolean odd = (burst & 1) != 0;
                owedKeepalive(odd ? a : b, odd ? b : a, cancelled);
                awaitQuietCompilers(deadline, cancelled);
                if (burst >= MIN_BURSTS && compileMillis() == compiledBefore) {
                    break; // this traffic made the JIT compile nothing more: the path is at its final tier
                }
            }
            return done;
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    /**
     * Introduces the two nodes and has them handshake: the first packet is queued, starts the handshake and is
     * released when it completes. @return whether it arrived
     */
    private static boolean pair(WarmupNode a, WarmupNode b, boolean ipv6, BooleanSupplier cancelled) {
        if (!b.isBound()) {
            return false;
        }
        a.introduce(b, ipv6);
        b.introduce(a);
        a.send(b.meshV4, 84);
        return arrived(b, 1, HANDSHAKE_TIMEOUT_NANOS, cancelled);
    }

    /**
     * {@code sender} sends one packet that {@code owing} does not answer; then a new thread runs {@code owing}'s
     * timers as they would run ten seconds later, which seal and send the keepalive WireGuard owes.
     */
    private static void owedKeepalive(WarmupNode sender, WarmupNode owing, BooleanSupplier cancelled) {
        long expect = owing.tun.written.get() + 1;
        sender.send(owing.meshV4, 84);
        if (!arrived(owing, expect, WINDOW_TIMEOUT_NANOS, cancelled)) {
            return;
        }
        long due = System.nanoTime() + KEEPALIVE_OWED_NANOS;
        Thread timers = Thread.ofPlatform().name("tm-warmup-timers").daemon().start(() -> owing.runTimers(due));
        try {
            timers.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code count} round trips of mixed traffic; returns fewer when time runs out or the path stops carrying. A
     * lost packet (a busy machine) only resynchronises the count of what should have arrived. Without {@code ipv6}
     * (a has no IPv6 route to b) the IPv6 packets are sent but not expected.
     */
    private int exchange(WarmupNode a, WarmupNode b, boolean ipv6, int count, long deadline,
            BooleanSupplier cancelled) {
        long expectA = a.tun.written.get();
        long expectB = b.tun.written.get();
        for (int done = 0; done < count; done++) {
            if (over(deadline, cancelled)) {
                return done;
            }
            boolean v6 = (done & 2) != 0;
            boolean ping = (done & 1) == 0; // else a full-size packet
            // a b, b a, a b: every other seal on this thread is for the same peer as the one before
            WarmupNode first = ping ? a : b;
            WarmupNode second = first == a ? b : a;
            hop(first, second, v6, ping);
            hop(second, first, v6, ping);
            if (ipv6 || !v6) { // else a has no IPv6 route: it drops its packet, and b's for lack of a source route
                // The answers to pings arrive too, but are not counted: over the real UDP transport fewer came back
                // within a window than were asked for, and counting them stalled every window. A debug build's
                // counters showed no drops in the node, the engine or the transport; the device keeps at most
                // DiscardTun.ANSWERS answers unread and answers no more until they are taken.
                expectA++;
                expectB++;
            }
            if (done % TOGETHER_EVERY == TOGETHER_EVERY - 1) {
                b.queue(a.meshV4, options.mtu());
                b.queue(a.meshV4, options.mtu());
                b.queue(a.meshV4, 84);
                b.flush();
                expectA += 3;
            }
            if (done % UNROUTED_EVERY == 0) {
                a.send(UNROUTED_V4, 84);
            }
            if ((done + 1) % WINDOW == 0) {
                long beforeA = a.tun.written.get();
                long beforeB = b.tun.written.get();
                if (!(arrived(b, expectB, WINDOW_TIMEOUT_NANOS, cancelled)
                        && arrived(a, expectA, WINDOW_TIMEOUT_NANOS, cancelled))) {
                    if (cancelled.getAsBoolean() || (a.tun.written.get() == beforeA && b.tun.written.get() == beforeB)) {
                        return done + 1; // nothing arrives any more: what ran so far still helps
                    }
                    expectA = a.tun.written.get();
                    expectB = b.tun.written.get();
                }
            }
        }
        return count;
    }

    /** One packet from {@code from} to {@code to}: a ping, or a full-size packet. */
    private void hop(WarmupNode from, WarmupNode to, boolean v6, boolean ping) {
        byte[] destination = v6 ? to.meshV6 : to.meshV4;
        if (ping) {
            from.ping(destination);
        } else {
            from.send(destination, options.mtu());
        }
    }

    /** Sleeps {@link #START_DELAY_NANOS}; false when cancelled meanwhile. */
    static boolean waitOutStartup(BooleanSupplier cancelled) {
        long until = System.nanoTime() + START_DELAY_NANOS;
        while (!cancelled.getAsBoolean()) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(Math.min(left, 50_000_000L));
        }
        return false;
    }

    private static boolean over(long deadline, BooleanSupplier cancelled) {
        return cancelled.getAsBoolean() || System.nanoTime() - deadline > 0;
    }

    /** Total JIT compilation time so far (ms), or -1 where the JVM does not measure it. */
    private long compileMillis() {
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * Waits, bounded, until the JIT compilers have been idle for a moment, so the next burst runs what they
     * compiled and its calls count against unscaled thresholds. Without compilation-time monitoring it does not wait.
     */
    private void awaitQuietCompilers(long deadline, BooleanSupplier cancelled) {
        long lastTotal = compileMillis();
        if (lastTotal < 0) {
            return;
        }
        long giveUp = Math.min(deadline, System.nanoTime() + QUIET_WAIT_NANOS);
        long quietSince = System.nanoTime();
        while (!over(giveUp, cancelled)) {
            LockSupport.parkNanos(QUIET_NANOS / 10);
            long total = compileMillis();
            long now = System.nanoTime();
            if (total != lastTotal) {
                lastTotal = total;
                quietSince = now;
            } else if (now - quietSince >= QUIET_NANOS) {
                return;
            }
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
