package io.tunnelmesh.bench.protocol;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Companion to the JMH benchmarks for a shared, busy machine: runs each benchmark body and its anchor in
 * alternating batches and charges each batch the thread's CPU time, not wall time, so load from other
 * processes hits both sides alike and the ratio stays meaningful. Prints median CPU ns per operation,
 * operations per CPU-second (= per core) and the ratio to the anchor.
 *
 * <p>Run: {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) io.tunnelmesh.bench.protocol.InterleavedRatios [rounds]}
 */
public final class InterleavedRatios {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private InterleavedRatios() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        TransportBenchmark t = new TransportBenchmark();
        t.size = 1420;
        t.buffers = "heap";
        t.setup();
        HandshakeBenchmark h = new HandshakeBenchmark();
        h.setup();

        Map<String, Op> ops = new LinkedHashMap<>();
        ops.put("engine seal (1420 B)", new Op(2000, () -> t.engineSeal()));
        ops.put("raw JCE seal (1420 B)", new Op(2000, () -> rethrow(t::rawJceSeal)));
        ops.put("raw JCE seal (0 B)", new Op(2000, () -> rethrow(t::rawJceSealEmpty)));
        ops.put("engine seal+open (1420 B)", new Op(1000, () -> t.engineSealThenOpen()));
        ops.put("raw JCE seal+open (1420 B)", new Op(1000, () -> rethrow(t::rawJceSealThenOpen)));
        ops.put("full handshake (both sides)", new Op(20, () -> h.fullHandshake()));
        ops.put("X25519 agreement", new Op(100, () -> h.x25519Agreement()));

        for (Op op : ops.values()) { // warm-up: let C2 compile everything
            for (int i = 0; i < 20; i++) {
                op.batch();
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (Op op : ops.values()) {
                op.measure();
            }
        }
        System.out.printf("%-30s %14s %16s%n", "operation", "CPU ns/op", "ops per CPU-s");
        ops.forEach((name, op) -> System.out.printf("%-30s %14.0f %16.0f%n", name, op.median(), 1e9 / op.median()));
        double seal = ops.get("raw JCE seal (1420 B)").median() / ops.get("engine seal (1420 B)").median();
        double both = ops.get("raw JCE seal+open (1420 B)").median() / ops.get("engine seal+open (1420 B)").median();
        double openEngine = ops.get("engine seal+open (1420 B)").median() - ops.get("engine seal (1420 B)").median();
        double openRaw = ops.get("raw JCE seal+open (1420 B)").median() - ops.get("raw JCE seal (1420 B)").median();
        double fixed = ops.get("raw JCE seal (0 B)").median() / ops.get("raw JCE seal (1420 B)").median();
        double dhCeiling = 1e9 / (6 * ops.get("X25519 agreement").median());
        double handshakes = 1e9 / ops.get("full handshake (both sides)").median();
        System.out.printf("seal: engine at %.0f%% of raw JCE; seal+open: %.0f%%; open alone (difference): %.0f%% (%.0f vs %.0f ns)%n",
                100 * seal, 100 * both, 100 * openRaw / openEngine, openEngine, openRaw);
        System.out.printf("a raw JCE seal of 0 B costs %.0f%% of one of 1420 B: the per-packet part (init, Poly1305 set-up, tag)%n", 100 * fixed);
        System.out.printf("handshakes: %.0f per core; 6 X25519 agreements alone would allow %.0f (%.0f%% of that ceiling)%n",
                handshakes, dhCeiling, 100 * handshakes / dhCeiling);
    }

    private interface Body {
        Object run() throws Exception;
    }

    private static Object rethrow(Body b) {
        try {
            return b.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One measured operation: batches of {@code size}, each charged its CPU time. */
    private static final class Op {
        private final int size;
        private final java.util.function.Supplier<Object> body;
        private double[] samples = new double[0];
        private Object sink;

        Op(int size, java.util.function.Supplier<Object> body) {
            this.size = size;
            this.body = body;
        }

        void batch() {
            for (int i = 0; i < size; i++) {
                sink = body.get();
            }
        }

        void measure() {
            long t0 = CPU.getCurrentThreadCpuTime();
            batch();
            long t1 = CPU.getCurrentThreadCpuTime();
            samples = Arrays.copyOf(samples, samples.length + 1);
            samples[samples.length - 1] = (t1 - t0) / (double) size;
        }

        double median() {
            double[] s = samples.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }
    }
}
