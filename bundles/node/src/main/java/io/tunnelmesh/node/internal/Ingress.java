package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Inbound flow, starting on each transport binding's receive thread:
 *
 * <pre>
 *   transport receive ─► handshake message? ─► under load: within its host's share? ─► HandshakeQueue
 *                     │                                                  (the HandshakeWorker answers it)
 *                     │                        far beyond it: the transport drops that host's initiations
 *                     │                        itself for a while (InitiationShedding)
 *                     └► data message ─► [decrypt.thread: copied into a DecryptQueue batch; at the end of the
 *                        │                 transport's batch handed to the Decryptor thread, which goes on below]
 *                        └► Delivery: engine opens it (ChaCha20-Poly1305, replay window) ─► roam to the source
 *                           ─► cryptokey routing: is the inner source address the sender's? ─► PacketBatch
 *                           (a path message instead: pong ─► PeerPath; ping, call-me-maybe ─► PathProbes, timers woken)
 *   end of the batch (or of what the Decryptor has waiting) ─► TUN write, one call for the batch
 * </pre>
 *
 * Without a decrypt thread the receive thread opens and writes itself; with one, opening moves to another core
 * while the receive thread goes on receiving. Either way one thread opens a receive thread's datagrams, in
 * arrival order, so each peer's packets keep their order. Nothing here seals or sends: when a packet confirms a
 * new session, the peer's held-back packets are left to {@link PeerTimers}, which is woken for them.
 */
final class Ingress implements DatagramReceiver {
    private final Supplier<PeerSet> peerSet;
    private final HandshakeQueue handshakes;
    private final HandshakeLoad load;
    private final HandshakeAdmission admission;
    private final DropCounters drops;
    private final Faults faults;
    /** Null without a decrypt thread. */
    private final DecryptQueue decrypting;
    /** Per receive thread: its own delivery (opening here) or the batch it is filling (for the decrypt thread). */
    private final ThreadLocal<Delivery> deliveries;
    private final ThreadLocal<DecryptQueue.Filling> filling = ThreadLocal.withInitial(DecryptQueue.Filling::new);

    /** @param decrypting the decrypt thread's queue, or null to open on the receive threads */
    Ingress(Supplier<PeerSet> peerSet, HandshakeQueue handshakes, HandshakeLoad load, HandshakeAdmission admission,
            Supplier<Delivery> newDelivery, DecryptQueue decrypting, DropCounters drops, Faults faults) {
        this.peerSet = peerSet;
        this.handshakes = handshakes;
        this.load = load;
        this.admission = admission;
        this.drops = drops;
        this.faults = faults;
        this.decrypting = decrypting;
        this.deliveries = ThreadLocal.withInitial(newDelivery);
    }

    @Override
    public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
        try {
            receive(datagram, source, via, System.nanoTime());
        } catch (RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
            drops.count(NodeDrop.INTERNAL_ERROR);
            faults.report("processing a datagram from " + source + " failed: " + e);
        }
    }

    @Override
    public void batchComplete(TransportBinding via) {
        if (decrypting != null) {
            decrypting.handOver(filling.get());
        } else {
            deliveries.get().flush();
        }
    }

    private void receive(ByteBuffer datagram, Endpoint source, TransportBinding via, long nowNanos) {
        PeerSet set = peerSet.get();
        if (set.engine == null) {
            drops.count(NodeDrop.NO_HANDSHAKE_SERVICE);
            return;
        }
        if (set.engine.isHandshake(datagram)) {
            queueHandshake(datagram, source, via, nowNanos);
        } else if (decrypting != null) {
            decrypting.offer(filling.get(), datagram, source, via); // false only while the data plane stops
        } else {
            deliveries.get().open(set, datagram, source, via, nowNanos);
        }
    }

    private void queueHandshake(ByteBuffer datagram, Endpoint source, TransportBinding via, long nowNanos) {
        if (load.underLoad(nowNanos) && !admission.admit(source, via, nowNanos)) {
            load.pressure(nowNanos); // the flood goes on, even though the queue stays short
            drops.count(NodeDrop.HANDSHAKE_RATE_LIMITED);
        } else if (!handshakes.offer(datagram, source, via)) {
            drops.count(NodeDrop.HANDSHAKE_QUEUE_FULL);
        }
    }
}
