package io.tunnelmesh.bench.protocol;

import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelPeer;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Transport packets per second at 1420 bytes through the engine ({@code encapsulate}: header, counter, padding
 * rule, AEAD, timers; {@code receive}: index lookup, AEAD open, replay window, timers, IP length) against the
 * anchor: the raw JCE ChaCha20-Poly1305 doing the same AEAD work in the same run.
 *
 * <p>Opening needs fresh counters (a replayed counter is refused), so open is measured as a round trip
 * (seal on one engine + open on the other) against raw JCE seal + open; open alone = round trip − seal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransportBenchmark {
    @Param({"1420"})
    public int size;
    @Param({"heap"})
    public String buffers;

    private TunnelPeer toBob;
    private BenchNode alice;
    private BenchNode bob;
    private final PacketOutcome outcome = new PacketOutcome();
    private ByteBuffer packet;
    private ByteBuffer wire;
    private ByteBuffer delivered;

    private Cipher jce;
    private SecretKeySpec key;
    private final byte[] nonce = new byte[12];
    private byte[] plain;
    private byte[] sealed;
    private byte[] opened;
    private long counter;

    @Setup
    public void setup() throws GeneralSecurityException {
        alice = new BenchNode(1);
        bob = new BenchNode(2);
        toBob = alice.engine.addPeer(bob.key, 0);
        bob.engine.addPeer(alice.key, 0);
        boolean direct = buffers.equals("direct");
        packet = allocate(direct, size);
        packet.put(0, (byte) 0x45).put(2, (byte) (size >>> 8)).put(3, (byte) size);
        wire = allocate(direct, size + 64);
        delivered = allocate(direct, size + 64);
        // handshake + the confirming first packet, so both sides hold a current keypair
        toBob.encapsulate(packet, wire.clear(), 0, outcome);
        bob.engine.receive(wire, alice.address, delivered.clear(), 0, outcome);
        alice.engine.receive(delivered, bob.address, wire.clear(), 0, outcome);
        toBob.poll(wire.clear(), 0, outcome);
        bob.engine.receive(wire, alice.address, delivered.clear(), 0, outcome);
        if (outcome.action() != PacketOutcome.Action.DELIVER) {
            throw new IllegalStateException("session did not come up: " + outcome);
        }
        jce = Cipher.getInstance("ChaCha20-Poly1305");
        byte[] k = new byte[32];
        k[1] = 9;
        key = new SecretKeySpec(k, "ChaCha20");
        plain = new byte[size];
        sealed = new byte[size + 16];
        opened = new byte[size];
    }

    private static ByteBuffer allocate(boolean direct, int n) {
        return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    @Benchmark
    public int engineSeal() {
        toBob.encapsulate(packet, wire.clear(), 1, outcome);
        return outcome.length();
    }

    @Benchmark
    public int engineSealThenOpen() {
        toBob.encapsulate(packet, wire.clear(), 1, outcome);
        bob.engine.receive(wire, alice.address, delivered.clear(), 1, outcome);
        return outcome.length();
    }

    @Benchmark
    public int rawJceSeal() throws GeneralSecurityException {
        return rawSeal(plain.length);
    }

    /** A raw JCE seal of nothing: what every packet pays whatever its size (init, Poly1305 set-up, tag). */
    @Benchmark
    public int rawJceSealEmpty() throws GeneralSecurityException {
        return rawSeal(0);
    }

    @Benchmark
    public int rawJceSealThenOpen() throws GeneralSecurityException {
        rawSeal(plain.length);
        jce.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
        return jce.doFinal(sealed, 0, sealed.length, opened, 0);
    }

    private int rawSeal(int length) throws GeneralSecurityException {
        long c = counter++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (c >>> (8 * i));
        }
        jce.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        return jce.doFinal(plain, 0, length, sealed, 0);
    }
}
