package io.tunnelmesh.handshake.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.handshake.internal.wireguard.ReplayWindow;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * Two threads seal, two threads open, while the main thread rekeys over and over: nothing throws, every
 * delivered packet is intact, and the only drops are the ones a rekey explains (a packet sealed with a keypair
 * that two rekeys have already retired) or that the two senders' own race explains: when one sender is
 * descheduled holding a counter while the other seals more than the replay window (8128 packets) past it, that
 * packet arrives too old and is dropped as a replay, as WireGuard drops it. Such a drop is accepted only when the
 * same keypair had by then sealed a counter more than a window ahead; any other replay drop fails the test.
 */
class ConcurrencyStressTest {

    @Test
    void sealAndOpenOnSeveralThreadsWhileRekeying() throws Exception {
        Mesh m = new Mesh();
        m.handshake(0);
        TunnelPeer toBob = m.alice.peer(m.bob);
        ConcurrentLinkedQueue<byte[]> wire = new ConcurrentLinkedQueue<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong delivered = new AtomicLong();
        AtomicLong sealed = new AtomicLong();
        AtomicLong tooOld = new AtomicLong();
        // Per receiver index (one per keypair): the highest counter sealed so far.
        ConcurrentHashMap<Integer, LongAccumulator> highestSealed = new ConcurrentHashMap<>();
        // In flight on a keypair a rekey retired meanwhile: its index is gone, or its key was wiped mid-open.
        Set<DropReason> explained = EnumSet.of(DropReason.UNKNOWN_SESSION, DropReason.DECRYPT_FAILED, DropReason.EXPIRED_SESSION);
        List<Thread> threads = new java.util.ArrayList<>();
        byte[] packet = Node.ipPacket(200, 3);
        for (int t = 0; t < 2; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ByteBuffer out = ByteBuffer.allocate(512);
                PacketOutcome o = new PacketOutcome();
                try {
                    while (running.get()) {
                        if (wire.size() > 2000) {
                            Thread.onSpinWait();
                            continue;
                        }
                        toBob.encapsulate(ByteBuffer.wrap(packet), out.clear(), 1, o);
                        if (o.action() == Action.SEND_TO_PEER && o.length() != 148) {
                            byte[] d = new byte[o.length()];
                            out.get(out.position(), d);
                            highestSealed.computeIfAbsent(receiverIndex(d), i -> new LongAccumulator(Math::max, 0))
                                    .accumulate(counter(d));
                            wire.add(d);
                            sealed.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
            threads.add(Thread.ofPlatform().start(() -> {
                ByteBuffer out = ByteBuffer.allocate(512);
                PacketOutcome o = new PacketOutcome();
                try {
                    while (running.get() || !wire.isEmpty()) {
                        byte[] d = wire.poll();
                        if (d == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        m.bob.engine.receive(ByteBuffer.wrap(d), m.alice.address, out.clear(), 1, o);
                        if (o.action() == Action.DELIVER) {
                            byte[] got = new byte[o.length()];
                            out.get(out.position(), got);
                            if (!java.util.Arrays.equals(packet, got)) {
                                failures.add(new AssertionError("corrupted packet delivered"));
                            }
                            delivered.incrementAndGet();
                        } else if (o.action() == Action.DROP && o.dropReason() == DropReason.REPLAYED_PACKET
                                && counter(d) + ReplayWindow.WINDOW < highestSealed.get(receiverIndex(d)).get()) {
                            tooOld.incrementAndGet();
                        } else if (o.action() == Action.DROP && !explained.contains(o.dropReason())) {
                            failures.add(new AssertionError("unexpected drop " + o.dropReason()));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        int rekeys = 0;
        long deadline = System.nanoTime() + 2_000_000_000L;
        long now = 1;
        while (System.nanoTime() < deadline) {
            now += 6_000_000_000L; // past the 5 s gap between initiations
            m.alice.wallTime = m.alice.wallTime.plusSeconds(6);
            toBob.requestHandshake();
            if (m.alice.poll(m.bob, now).length() == 148
                    && m.bob.receive(m.alice.output(), m.alice.address, now).action() == Action.SEND_TO_SOURCE
                    && m.alice.receive(m.bob.output(), m.bob.address, now).authenticated()) {
                rekeys++;
            }
            Thread.sleep(20);
        }
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("stress: %d sealed, %d delivered on 4 threads across %d completed rekeys;"
                + " %d arrived more than a replay window late%n", sealed.get(), delivered.get(), rekeys, tooOld.get());
        assertEquals(List.of(), failures);
        assertTrue(delivered.get() > 1000, "delivered " + delivered.get());
        assertTrue(rekeys > 5, "rekeys " + rekeys);
    }

    /** A transport message: type (4 bytes), receiver index (4), counter (8, little-endian), then the sealed packet. */
    private static int receiverIndex(byte[] datagram) {
        return ByteBuffer.wrap(datagram).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    private static long counter(byte[] datagram) {
        return ByteBuffer.wrap(datagram).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8);
    }
}
