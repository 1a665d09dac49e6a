package io.tunnelmesh.bench.protocol;

import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelPeer;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Full WireGuard handshakes per second on one thread: initiator builds the initiation, responder checks mac1,
 * decrypts, answers, initiator consumes the response — both sides' work, through the public engine API.
 * Anchor: one X25519 agreement, measured in the same run (a handshake needs 6 of them plus 2 key generations).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {
    private BenchNode alice;
    private BenchNode bob;
    private TunnelPeer toBob;
    private final PacketOutcome outcome = new PacketOutcome();
    private final ByteBuffer wire = ByteBuffer.allocate(256);
    private final ByteBuffer reply = ByteBuffer.allocate(256);
    private long now;
    private final byte[] scalar = new byte[32];
    private final byte[] point = new byte[32];
    private final byte[] shared = new byte[32];

    @Setup
    public void setup() {
        alice = new BenchNode(1);
        bob = new BenchNode(2);
        toBob = alice.engine.addPeer(bob.key, 0);
        bob.engine.addPeer(alice.key, 0);
        SecureRandom r = new SecureRandom();
        r.nextBytes(scalar);
        bob.key.copyTo(point, 0);
    }

    @Benchmark
    public PacketOutcome fullHandshake() {
        // 6 s of virtual time per handshake: past the 5 s gap between initiations and the 20 ms flood guard.
        now += 6_000_000_000L;
        toBob.requestHandshake();
        toBob.poll(wire.clear(), now, outcome);
        if (outcome.length() != 148) {
            throw new IllegalStateException("no initiation: " + outcome);
        }
        bob.engine.receive(wire, alice.address, reply.clear(), now, outcome);
        if (outcome.length() != 92) {
            throw new IllegalStateException("no response: " + outcome);
        }
        alice.engine.receive(reply, bob.address, wire.clear(), now, outcome);
        if (!outcome.authenticated()) {
            throw new IllegalStateException("response refused: " + outcome);
        }
        return outcome;
    }

    /** Anchor: the dominant primitive. */
    @Benchmark
    public byte[] x25519Agreement() {
        X25519.calculateAgreement(scalar, 0, point, 0, shared, 0);
        return shared;
    }
}
