package io.tunnelmesh.bench.coordinator;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.coordinator.AdmissionRequest;
import io.tunnelmesh.api.coordinator.TokenRecord;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.Welcome;
import io.tunnelmesh.coordinator.store.sqlite.internal.SqliteCoordinatorStore;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The anchor for joins/s, measured in the same run: what one join cannot avoid, done once and alone. That is
 * one full control handshake (Noise IK, both sides, with a real hello and welcome as payloads; CPU time) and
 * one row inserted into SQLite with WAL and synchronous=FULL in its own transaction (wall time: the fsync).
 * {@code 1 / (handshake + insert)} is how many joins one at a time could do; the coordinator's joins/s over
 * it shows what concurrency and group commit win, or what the server's own work costs. Beside it, the real
 * store's {@code admit()} alone, called by one thread at a time and by 32 at once: what the store can give.
 */
final class JoinAnchor {
    static final int STORE_CALLERS = 32;
    final double handshakeCpuNanos;
    final double insertWallNanos;
    /** The real store's admit() alone: one caller at a time (as the coordinator calls it), and 32 at once. */
    final double storeSerialPerSecond;
    final double storeConcurrentPerSecond;

    private JoinAnchor(double handshakeCpuNanos, double insertWallNanos, double storeSerialPerSecond,
            double storeConcurrentPerSecond) {
        this.handshakeCpuNanos = handshakeCpuNanos;
        this.insertWallNanos = insertWallNanos;
        this.storeSerialPerSecond = storeSerialPerSecond;
        this.storeConcurrentPerSecond = storeConcurrentPerSecond;
    }

    double joinsPerSecond() {
        return 1e9 / (handshakeCpuNanos + insertWallNanos);
    }

    /** Both sides of the handshake on 2 cores, no store: the crypto ceiling for joins/s on this machine. */
    double handshakeCeiling(int cores) {
        return cores * 1e9 / handshakeCpuNanos;
    }

    static JoinAnchor measure(Path folder) throws Exception {
        double handshake = handshake();
        double insert = fsyncedInsert(folder.resolve("anchor.db"));
        try (SqliteCoordinatorStore store = SqliteCoordinatorStore.open(folder.resolve("anchor-store.db"), new SecureRandom())) {
            store.mesh(IpPrefix.parse("100.64.0.0/16"));
            byte[] secretHash = MessageDigest.getInstance("SHA-256").digest(new byte[32]);
            store.createToken(new TokenRecord("anchor", secretHash, "anchor", true, Instant.now(), null, null, 0));
            admits(store, secretHash, 1, 50); // warm-up
            double serial = admits(store, secretHash, 1, 300);
            double concurrent = admits(store, secretHash, STORE_CALLERS, 1500);
            return new JoinAnchor(handshake, insert, serial, concurrent);
        }
    }

    /** @return admissions per second of {@code total} admit() calls from {@code callers} threads */
    private static double admits(SqliteCoordinatorStore store, byte[] secretHash, int callers, int total) throws Exception {
        AtomicInteger left = new AtomicInteger(total);
        AtomicInteger done = new AtomicInteger();
        SecureRandom random = new SecureRandom();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < callers; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (left.getAndDecrement() > 0) {
                    byte[] key = new byte[32];
                    random.nextBytes(key);
                    try {
                        String name = "anchor-" + HexFormat.of().formatHex(key, 0, 6);
                        store.admit(new AdmissionRequest(NodeKey.of(key), "anchor", secretHash, name, false, null, null,
                                null, List.of("127.0.0.1:51820", "192.0.2.1:51820")), Instant.now());
                        done.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException("anchor admission: " + e.getMessage(), e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (done.get() != total) {
            throw new IllegalStateException("the store anchor admitted fewer nodes than it counted; see the errors above");
        }
        return total / seconds;
    }

    private static double handshake() throws Exception {
        SecureRandom random = new SecureRandom();
        StaticKeyPair node = pair(random);
        StaticKeyPair coordinator = pair(random);
        ControlCodec codec = new ControlCodec();
        byte[] hello = codec.encode(new Hello(1, Hello.JOIN, "0123456789abcdef", "x".repeat(43), "bench-00001",
                "bench-00001", null, null, null, 51820, List.of("192.0.2.1:51820")));
        byte[] welcome = codec.encode(new Welcome(null, null, new NodeEntry(node.publicKey().toBase64(), "bench-00001",
                "100.64.0.1", "fd00:1:2:3::1", List.of("127.0.0.1:51820", "192.0.2.1:51820"), null, false),
                "x".repeat(44), "100.64.0.0/16", "fd00:1:2:3::/64"));
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int batch = 50;
        double[] samples = new double[30];
        for (int round = -10; round < samples.length; round++) { // 10 rounds of warm-up for the JIT
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < batch; i++) {
                ControlHandshake.Initiation init = ControlHandshake.initiate(node, coordinator.publicKey(), hello);
                ControlHandshake.Reply reply = ControlHandshake.accept(coordinator, init.message()).reply(welcome);
                init.finish(reply.message());
            }
            if (round >= 0) {
                samples[round] = (cpu.getCurrentThreadCpuTime() - t0) / (double) batch;
            }
        }
        return median(samples);
    }

    private static double fsyncedInsert(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE node (public_key BLOB PRIMARY KEY, name TEXT NOT NULL, ipv4 TEXT NOT NULL)");
            }
            SecureRandom random = new SecureRandom();
            double[] samples = new double[200];
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO node VALUES (?, ?, ?)")) {
                for (int i = -20; i < samples.length; i++) {
                    byte[] key = new byte[32];
                    random.nextBytes(key);
                    long t0 = System.nanoTime();
                    insert.setBytes(1, key);
                    insert.setString(2, "anchor-" + i);
                    insert.setString(3, "100.64." + ((i + 20) >> 8) + "." + ((i + 20) & 255));
                    insert.executeUpdate(); // autocommit: its own transaction, fsync'd
                    if (i >= 0) {
                        samples[i] = System.nanoTime() - t0;
                    }
                }
            }
            return median(samples);
        }
    }

    private static StaticKeyPair pair(SecureRandom random) {
        byte[] priv = NoiseDh.DH25519.generatePrivateKey(random);
        return new StaticKeyPair(priv, NodeKey.of(NoiseDh.DH25519.publicKey(priv)));
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
