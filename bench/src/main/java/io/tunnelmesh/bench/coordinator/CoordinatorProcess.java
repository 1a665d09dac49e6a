package io.tunnelmesh.bench.coordinator;

import com.sun.management.OperatingSystemMXBean;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.coordinator.internal.Coordinator;
import io.tunnelmesh.coordinator.internal.CoordinatorSettings;
import io.tunnelmesh.coordinator.internal.Limits;
import io.tunnelmesh.coordinator.store.sqlite.internal.SqliteCoordinatorStore;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;

/**
 * The coordinator under test, alone in its own JVM (so its heap and RSS are its own): the SQLite store in a
 * folder, the coordinator's plain classes started as its tests start them, on 127.0.0.1 with an ephemeral port,
 * and one reusable join token. Prints {@code READY port token}, then answers {@code stats} lines on stdin with one
 * {@code STATS key=value ...} line (after a full GC) until {@code quit} or end of input.
 *
 * <p>Run by {@link CoordinatorBench}: {@code java -cp ... io.tunnelmesh.bench.coordinator.CoordinatorProcess DATA_DIR}
 */
public final class CoordinatorProcess {
    private CoordinatorProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Files.createDirectories(data);
        SecureRandom random = new SecureRandom();
        byte[] priv = NoiseDh.DH25519.generatePrivateKey(random);
        StaticKeyPair key = new StaticKeyPair(priv, NodeKey.of(NoiseDh.DH25519.publicKey(priv)));
        // /16 gives 65,534 IPv4 addresses: room for any N this benchmark runs
        CoordinatorSettings settings = new CoordinatorSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                IpPrefix.parse("100.64.0.0/16"), List.of(), data.resolve("authorized_keys"), 0); // 0: no STUN responder
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(data.resolve("coordinator.db"), random)) {
            TimedStore timed = new TimedStore(store);
            try (Coordinator coordinator = Coordinator.start(timed, key, settings, Limits.defaults(), STDERR_WARNINGS,
                    InstantSource.system())) {
                String token = coordinator.createToken(true, null, "bench").token();
                System.out.println("READY " + coordinator.address().getPort() + " " + token);
                System.out.flush();
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
                for (String line; (line = commands.readLine()) != null && !line.equals("quit"); ) {
                    if (line.equals("stats")) {
                        System.out.println(stats(coordinator, timed));
                        System.out.flush();
                    }
                }
            }
        }
    }

    /** RSS and its peak from /proc and process CPU, then heap after a full GC, and the coordinator's own counts. */
    private static String stats(Coordinator coordinator, TimedStore store) throws Exception {
        long cpu = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long ioCpu = 0;
        long storeCpu = 0;
        long fanoutCpu = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            long c = t == null ? -1 : threads.getThreadCpuTime(t.getThreadId());
            if (c < 0) {
                continue;
            }
            if (t.getThreadName().startsWith("tm-coordinator-io")) {
                ioCpu += c;
            } else if (t.getThreadName().startsWith("tm-coordinator-store")) { // the pool calling the store and the store's own writer
                storeCpu += c;
            } else if (t.getThreadName().equals("tm-coordinator-fanout")) {
                fanoutCpu += c;
            }
        }
        long rss = 0; // read before the GC below, which may hand heap pages back
        long hwm = 0;
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                rss = kib(l);
            } else if (l.startsWith("VmHWM:")) {
                hwm = kib(l);
            }
        }
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        Coordinator.Status s = coordinator.status();
        return "STATS heap=" + heap + " rssKiB=" + rss + " hwmKiB=" + hwm + " cpuNs=" + cpu + " ioCpuNs=" + ioCpu
                + " storeCpuNs=" + storeCpu + " fanoutCpuNs=" + fanoutCpu + " admits=" + store.admits
                + " admitNs=" + store.admitNanos + " endpointWrites=" + store.endpointWrites
                + " endpointWriteNs=" + store.endpointNanos + " members=" + s.members()
                + " online=" + s.online() + " connections=" + s.connections() + " deltasSent=" + s.deltasSent()
                + " threads=" + Thread.activeCount() + " counters=" + s.counters().toString().replace(' ', '_');
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** Per-join info lines would be 10,000 lines of noise; warnings and errors go to stderr. */
    private static final ComponentLog STDERR_WARNINGS = new ComponentLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
            System.err.println("coordinator WARN " + message);
        }

        @Override
        public void error(String message) {
            System.err.println("coordinator ERROR " + message);
        }
    };
}
