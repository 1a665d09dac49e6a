package io.tunnelmesh.bench.coordinator;

import com.sun.management.OperatingSystemMXBean;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator benchmark (issue 12): N simulated nodes against one coordinator in its own JVM, over real TCP
 * on 127.0.0.1 with the real protocol. Phases: anchors; N joins with one reusable token; N connect sessions
 * (a reconnect storm: every node gets the full map); heap and RSS of the coordinator JVM; then endpoint changes
 * of one node at a time, each timed until every other node has the delta; then the raw loopback fan-out anchor.
 * Prints a table; asserts nothing.
 *
 * <p>Arguments (all optional, key=value): nodes=1000 joinConcurrency=64 connectConcurrency=32 changes=30
 * gapMillis=300 connectMinutes=20 (how long the connect storm may take) work=DIR (default a temporary folder) coordinatorOpts="-Xmx2g ..." (JVM options of the
 * coordinator). Run through bench/coordinator/run.sh.
 */
public final class CoordinatorBench {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CoordinatorBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("nodes", "1000", "joinConcurrency", "64",
                "connectConcurrency", "32", "changes", "30", "gapMillis", "300", "connectMinutes", "20", "coordinatorOpts", ""));
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0 || !opt.containsKey(a.substring(0, eq)) && !a.startsWith("work=")) {
                System.err.println("unknown argument '" + a + "': use key=value with keys " + opt.keySet() + ", work");
                System.exit(2);
            }
            opt.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int n = Integer.parseInt(opt.get("nodes"));
        int joinConcurrency = Integer.parseInt(opt.get("joinConcurrency"));
        int connectConcurrency = Integer.parseInt(opt.get("connectConcurrency"));
        int changes = Integer.parseInt(opt.get("changes"));
        int gap = Integer.parseInt(opt.get("gapMillis"));
        Path work = opt.containsKey("work") ? Path.of(opt.get("work")) : Files.createTempDirectory("tm-coord-bench");
        List<String> coordinatorOpts = opt.get("coordinatorOpts").isBlank() ? List.of()
                : List.of(opt.get("coordinatorOpts").trim().split("\\s+"));
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        Report report = new Report();

        log("anchor: control handshake and fsync'd SQLite insert, in this JVM");
        JoinAnchor anchor = JoinAnchor.measure(work);

        log("starting the coordinator JVM " + coordinatorOpts);
        try (ChildCoordinator coordinator = ChildCoordinator.start(coordinatorOpts, work.resolve("coordinator"))) {
            Map<String, String> base = coordinator.stats();
            ControlCodec codec = new ControlCodec();
            SecureRandom random = new SecureRandom();
            SimulatedNode[] nodes = new SimulatedNode[n];
            for (int i = 0; i < n; i++) {
                nodes[i] = new SimulatedNode(i, random, codec);
            }

            // ---- joins ------------------------------------------------------------------------------
            log("joining " + n + " nodes, " + joinConcurrency + " at a time");
            long[] joinNanos = new long[n];
            AtomicInteger next = new AtomicInteger();
            ConcurrentLinkedQueue<String> joinFailures = new ConcurrentLinkedQueue<>();
            Map<String, String> beforeJoin = coordinator.stats();
            long harness0 = OS.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<Thread> joiners = new ArrayList<>();
            for (int w = 0; w < joinConcurrency; w++) {
                joiners.add(Thread.ofVirtual().start(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        long s = System.nanoTime();
                        try {
                            nodes[i].join(coordinator.address, coordinator.token);
                            joinNanos[i] = System.nanoTime() - s;
                        } catch (Exception e) {
                            joinFailures.add(nodes[i].index + ": " + e);
                            joinNanos[i] = Long.MAX_VALUE;
                        }
                    }
                }));
            }
            for (Thread t : joiners) {
                t.join();
            }
            double joinSeconds = (System.nanoTime() - t0) / 1e9;
            long joinHarnessCpu = OS.getProcessCpuTime() - harness0;
            Map<String, String> afterJoin = coordinator.stats();
            long joinCpu = delta(beforeJoin, afterJoin, "cpuNs");
            int joined = n - joinFailures.size();
            log(String.format("joins: %d in %.2f s%s", joined, joinSeconds,
                    joinFailures.isEmpty() ? "" : ", " + joinFailures.size() + " failed, first: " + joinFailures.peek()));

            // ---- connect storm ----------------------------------------------------------------------
            log("connecting " + n + " sessions, " + connectConcurrency + " waiting for their map at a time");
            FanoutProbe probe = new FanoutProbe(n);
            Semaphore inFlight = new Semaphore(connectConcurrency);
            CountDownLatch mapped = new CountDownLatch(n);
            AtomicLong mapBytes = new AtomicLong();
            AtomicLong lastMapBytes = new AtomicLong();
            ConcurrentLinkedQueue<String> connectFailures = new ConcurrentLinkedQueue<>();
            long cpu0 = ChildCoordinator.num(coordinator.stats(), "cpuNs");
            harness0 = OS.getProcessCpuTime();
            t0 = System.nanoTime();
            for (SimulatedNode node : nodes) {
                Thread.ofVirtual().start(() -> {
                    boolean ok = false;
                    try {
                        inFlight.acquire();
                        try {
                            long bytes = node.connect(coordinator.address, coordinator.token.coordinatorKey());
                            mapBytes.addAndGet(bytes);
                            lastMapBytes.accumulateAndGet(bytes, Math::max);
                            ok = true;
                        } finally {
                            inFlight.release();
                            mapped.countDown();
                        }
                    } catch (Exception e) {
                        connectFailures.add(node.index + ": " + e);
                    }
                    if (ok) {
                        node.readUntilClosed(probe);
                    }
                });
            }
            boolean allMapped = mapped.await(Long.parseLong(opt.get("connectMinutes")), TimeUnit.MINUTES);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            long connectHarnessCpu = OS.getProcessCpuTime() - harness0;
            long connectCpu = ChildCoordinator.num(coordinator.stats(), "cpuNs") - cpu0;
            log(String.format("connected: %s in %.1f s%s", allMapped ? "all" : "NOT all", connectSeconds,
                    connectFailures.isEmpty() ? "" : ", " + connectFailures.size() + " failed, first: " + connectFailures.peek()));
            Thread.sleep(3000); // let the last online deltas go out and the JIT settle
            Map<String, String> connected = coordinator.stats();
            log("coordinator: " + connected);

            // ---- fan-out of endpoint changes -------------------------------------------------------
            log(changes + " endpoint changes, each traced until the other " + (n - 1) + " nodes have it");
            List<Long> allHaveIt = new ArrayList<>();
            List<long[]> perNode = new ArrayList<>();
            int incomplete = 0;
            Map<String, String> beforeFanout = coordinator.stats();
            harness0 = OS.getProcessCpuTime();
            // With sessions still connecting, every change would wait out its timeout for them: measure none.
            int traced = allMapped ? changes : 0;
            if (!allMapped) {
                log("not all sessions have their map: no fan-out is measured");
            }
            for (int c = 0; c < traced; c++) {
                SimulatedNode changer = nodes[random.nextInt(n)];
                String endpoint = "203.0.113." + (changer.index % 250 + 1) + ":" + (20000 + c);
                probe.arm(changer.index, endpoint);
                long sent = System.nanoTime();
                probe.sent(sent);
                changer.reportEndpoint(endpoint);
                if (!probe.await(30_000)) {
                    incomplete++;
                    log("change " + c + ": " + probe.missing() + " nodes did not get it within 30 s");
                }
                long[] delays = probe.delays();
                Arrays.sort(delays);
                perNode.add(delays);
                allHaveIt.add(delays[delays.length - 1]);
                probe.disarm();
                Thread.sleep(gap);
            }
            long fanoutHarnessCpu = OS.getProcessCpuTime() - harness0;
            Map<String, String> end = coordinator.stats();
            long fanoutCpu = delta(beforeFanout, end, "cpuNs");
            int perChange = Math.max(1, traced);
            long ended = Arrays.stream(nodes).filter(x -> x.endOfSession != null).count();
            String firstEnd = Arrays.stream(nodes).map(x -> x.endOfSession).filter(x -> x != null).findFirst().orElse("");

            // ---- raw loopback anchor ---------------------------------------------------------------
            log("closing the sessions; raw loopback fan-out anchor with " + n + " connections");
            for (SimulatedNode node : nodes) {
                node.close();
            }
            Thread.sleep(3000);
            byte[] sampleDelta = codec.encode(new PeerDelta(List.of(new NodeEntry(
                    "kXbV1yq0yXSQm3WcpFvGHbQ1iRXr3XSxWjvYxKJ0tVk=", "bench-00001", "100.64.0.1",
                    "fd6b:7a1e:33c0:9a2d::1", List.of("127.0.0.1:51820", "203.0.113.2:20000"), null, true)), List.of()));
            int frameBytes = 2 + 1 + sampleDelta.length + 16; // length, continuation byte, JSON, Poly1305 tag
            List<Long> rawAll = new ArrayList<>();
            List<long[]> rawPerNode = new ArrayList<>();
            long rawCpu0 = 0;
            long rawWriterCpu;
            try (RawFanout raw = new RawFanout(n, frameBytes, coordinatorOpts.stream()
                    .filter(o -> !o.startsWith("-XX:StartFlightRecording")).toList())) {
                for (int r = -3; r < changes; r++) { // 3 rounds of warm-up
                    if (r == 0) {
                        rawCpu0 = raw.writerCpuNanos();
                    }
                    long[] d = raw.fanOut(r + 10);
                    if (d == null) {
                        log("raw fan-out round " + r + " incomplete within 30 s");
                        continue;
                    }
                    if (r >= 0) {
                        Arrays.sort(d);
                        rawPerNode.add(d);
                        rawAll.add(d[d.length - 1]);
                    }
                    Thread.sleep(gap);
                }
                rawWriterCpu = raw.writerCpuNanos() - rawCpu0;
            }

            // ---- report ------------------------------------------------------------------------------
            double perThousand = 1000.0 / n;
            long heapBase = ChildCoordinator.num(base, "heap");
            long heapConnected = ChildCoordinator.num(connected, "heap");
            long rssBase = ChildCoordinator.num(base, "rssKiB");
            long rssConnected = ChildCoordinator.num(connected, "rssKiB");
            long[] joinSorted = Arrays.stream(joinNanos).filter(x -> x != Long.MAX_VALUE).sorted().toArray();
            double joinsPerSecond = joined / joinSeconds;
            long fan50 = pct(allHaveIt, 50);
            long fan99 = pct(allHaveIt, 99);
            long raw50 = pct(rawAll, 50);
            long raw99 = pct(rawAll, 99);

            System.out.println();
            System.out.printf("Coordinator, %d nodes, %d cores, %s, load average before: %s%n", n,
                    Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.SECONDS), load);
            System.out.printf("coordinator JVM %d options %s; joins %d at a time; connects %d at a time; %d changes %d ms apart%n",
                    coordinator.pid(), coordinatorOpts, joinConcurrency, connectConcurrency, changes, gap);
            report.row("joins/s (" + joined + " of " + n + " joined)", f0(joinsPerSecond),
                    f0(anchor.joinsPerSecond()) + " = 1/(handshake " + us(anchor.handshakeCpuNanos) + " CPU + fsync'd insert "
                            + us(anchor.insertWallNanos) + ")", ratio(joinsPerSecond, anchor.joinsPerSecond()));
            report.row("store alone: admit() one caller at a time / " + JoinAnchor.STORE_CALLERS + " callers at once (per s)",
                    f0(anchor.storeSerialPerSecond) + " / " + f0(anchor.storeConcurrentPerSecond),
                    "SqliteCoordinatorStore in this JVM, same disk", ratio(joinsPerSecond, anchor.storeConcurrentPerSecond)
                            + " of the concurrent");
            report.row("join latency p50 / p99 (ms)", ms(pct(joinSorted, 50)) + " / " + ms(pct(joinSorted, 99)), "", "");
            report.row("CPU during joins: coordinator / harness (cores)", f2(joinCpu / 1e9 / joinSeconds) + " / "
                    + f2(joinHarnessCpu / 1e9 / joinSeconds), "handshake alone: " + f0(anchor.handshakeCeiling(2))
                    + " joins/s on 2 cores", "");
            long admits = delta(beforeJoin, afterJoin, "admits");
            report.row("coordinator CPU per join: process / event loops / store threads (ms)", f2(joinCpu / 1e6 / joined)
                    + " / " + f2(delta(beforeJoin, afterJoin, "ioCpuNs") / 1e6 / joined) + " / "
                    + f2(delta(beforeJoin, afterJoin, "storeCpuNs") / 1e6 / joined), "", "");
            report.row("admit() calls in progress on average / mean admit() (fsync included)", String.format("%.2f / %.2f ms",
                    delta(beforeJoin, afterJoin, "admitNs") / 1e9 / joinSeconds,
                    admits == 0 ? 0 : delta(beforeJoin, afterJoin, "admitNs") / 1e6 / admits), "", "");
            report.row("connect storm: all " + n + " sessions to their full map (s)", f1(connectSeconds),
                    "last map " + kib(lastMapBytes.get()) + ", " + mib(mapBytes.get()) + " of maps in all", "");
            report.row("CPU during connect storm: coordinator / harness (cores)", f2(connectCpu / 1e9 / connectSeconds)
                    + " / " + f2(connectHarnessCpu / 1e9 / connectSeconds), "", "");
            report.row("coordinator heap after full GC per 1,000 connected nodes", mib((long) ((heapConnected - heapBase) * perThousand)),
                    "idle " + mib(heapBase) + ", with " + n + " connected " + mib(heapConnected), "");
            report.row("coordinator RSS per 1,000 connected nodes", mib((long) ((rssConnected - rssBase) * 1024 * perThousand)),
                    "idle " + mib(rssBase * 1024) + ", connected " + mib(rssConnected * 1024) + ", peak (VmHWM) "
                            + mib(ChildCoordinator.num(end, "hwmKiB") * 1024), "");
            report.row("fan-out: one change until all " + (n - 1) + " others have it, p50 / p99 (ms)", traced == 0 ? "not measured" : ms(fan50) + " / " + ms(fan99),
                    "raw loopback fan-out " + ms(raw50) + " / " + ms(raw99), ratio(fan50, raw50) + " / " + ratio(fan99, raw99));
            report.row("fan-out per receiving node, p50 / p99 over all changes (ms)", traced == 0 ? "not measured" : ms(pctAll(perNode, 50)) + " / "
                    + ms(pctAll(perNode, 99)), "raw " + ms(pctAll(rawPerNode, 50)) + " / " + ms(pctAll(rawPerNode, 99)), "");
            report.row("CPU per change: coordinator process / its event loops / its fan-out thread / harness (ms)",
                    f1(fanoutCpu / 1e6 / perChange) + " / " + f1(delta(beforeFanout, end, "ioCpuNs") / 1e6 / perChange)
                            + " / " + f1(delta(beforeFanout, end, "fanoutCpuNs") / 1e6 / perChange) + " / "
                            + f1(fanoutHarnessCpu / 1e6 / perChange), "raw writer JVM: " + f1(rawWriterCpu / 1e6 / changes)
                            + " (gaps included in both)", ratio(fanoutCpu, rawWriterCpu));
            report.print();
            System.out.printf("goals: 10,000 nodes (ran %d); fan-out p99 <= 1 s: %s; >= 500 joins/s: %s%n", n,
                    traced == 0 ? "NOT MEASURED (the connect storm did not finish)"
                            : fan99 <= 1_000_000_000L && incomplete == 0 ? "met" : "MISSED", joinsPerSecond >= 500 ? "met" : "MISSED");
            System.out.printf("sessions ended by the coordinator before the end: %d%s; changes not complete within 30 s: %d%n",
                    ended, ended > 0 ? " (first: " + firstEnd + ")" : "", incomplete);
            System.out.println("coordinator at the end: " + end);
        }
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String key) {
        return ChildCoordinator.num(after, key) - ChildCoordinator.num(before, key);
    }

    private static void log(String line) {
        System.err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    }

    private static long pct(List<Long> values, int p) {
        return pct(values.stream().mapToLong(Long::longValue).sorted().toArray(), p);
    }

    private static long pctAll(List<long[]> rounds, int p) {
        return pct(rounds.stream().flatMapToLong(Arrays::stream).sorted().toArray(), p);
    }

    /** Nearest rank on sorted values; 0 when there are none. */
    private static long pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String ms(long nanos) {
        return nanos == Long.MAX_VALUE ? "never" : String.format("%.1f", nanos / 1e6);
    }

    private static String us(double nanos) {
        return String.format("%.0f µs", nanos / 1e3);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static String kib(long bytes) {
        return String.format("%.0f KiB", bytes / 1024.0);
    }

    private static String f0(double v) {
        return String.format("%.0f", v);
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }

    private static String ratio(double ours, double anchor) {
        return anchor <= 0 ? "-" : String.format("%.2f×", ours / anchor);
    }

    /** A markdown table of figure, value, anchor, ratio. */
    private static final class Report {
        private final List<String[]> rows = new ArrayList<>();

        void row(String figure, String value, String anchor, String ratio) {
            rows.add(new String[] {figure, value, anchor, ratio});
        }

        void print() {
            System.out.println("| figure | value | anchor, same run | ratio |");
            System.out.println("|---|---|---|---|");
            for (String[] r : rows) {
                System.out.println("| " + String.join(" | ", r) + " |");
            }
        }
    }
}
