package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.support.log.ComponentLog;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The packet path's parts and the threads that run them, one job each: outbound ({@link TunReader}: TUN → seal →
 * transport), inbound ({@link Ingress}, on the transports' own threads: transport → open → TUN; with
 * {@code decrypt.thread} the opening moves to a {@link Decryptor} thread), handshakes ({@link HandshakeWorker}) and
 * timers ({@link PeerTimers}). They read the published {@link PeerSet} and never lock.
 */
final class PacketPath {
    private final TunReader reader;
    private final PeerTimers timers;
    private final HandshakeWorker handshakes;
    /** Null without a decrypt thread. */
    private final Decryptor decryptor;
    /** What the transports deliver into. */
    final Ingress ingress;
    private Thread readerThread;
    private Thread timerThread;
    private Thread handshakeThread;
    private Thread decryptThread;

    /**
     * @param decryptThread open data messages on a thread of their own rather than on the transports' receive threads
     * @param housekeeping  run once a second on the timer thread
     */
    PacketPath(TunDevice tun, Supplier<PeerSet> peerSet, Egress egress, DropCounters drops, ComponentLog log,
            Runnable housekeeping, boolean decryptThread) {
        Faults faults = new Faults(log);
        HandshakeQueue queue = new HandshakeQueue();
        HandshakeLoad load = new HandshakeLoad();
        InitiationShedding shedding = new InitiationShedding(log);
        HandshakeAdmission admission = new HandshakeAdmission(System.nanoTime(), shedding);
        this.reader = new TunReader(tun, peerSet, egress, drops, faults);
        Runnable everySecond = () -> {
            housekeeping.run();
            shedding.expire(System.nanoTime());
        };
        this.timers = new PeerTimers(peerSet, egress, everySecond, faults);
        this.handshakes = new HandshakeWorker(queue, load, peerSet, egress, drops, faults, log);
        Supplier<Delivery> newDelivery = () -> new Delivery(tun, timers::wake, drops, faults);
        DecryptQueue decrypting = decryptThread ? new DecryptQueue(PacketBatch.slotBytes(tun.mtu())) : null;
        this.decryptor = decryptThread ? new Decryptor(decrypting, peerSet, newDelivery.get(), drops, faults) : null;
        this.ingress = new Ingress(peerSet, queue, load, admission, newDelivery, decrypting, drops, faults);
    }

    void start(String interfaceName) {
        readerThread = Thread.ofPlatform().name("tm-tun-reader-" + interfaceName).daemon().start(reader);
        timerThread = Thread.ofPlatform().name("tm-peer-timers-" + interfaceName).daemon().start(timers);
        handshakeThread = Thread.ofPlatform().name("tm-handshakes-" + interfaceName).daemon().start(handshakes);
        if (decryptor != null) {
            decryptThread = Thread.ofPlatform().name("tm-decrypt-" + interfaceName).daemon().start(decryptor);
        }
    }

    /** New peers or a new engine: the timers look at them now rather than at their next deadline. */
    void wakeTimers() {
        timers.wake();
    }

    /** Tells every thread to end. The TUN reader ends once the device is closed. */
    void stop() {
        reader.stop();
        timers.stop();
        handshakes.stop();
        if (decryptor != null) {
            decryptor.stop();
        }
    }

    /** Waits (bounded) for the threads to end, after {@link #stop()} and closing the device. */
    void join() {
        join(readerThread);
        join(timerThread);
        join(handshakeThread);
        join(decryptThread);
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
