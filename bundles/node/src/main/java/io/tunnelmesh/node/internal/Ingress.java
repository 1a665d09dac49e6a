package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import io.tunnelmesh.api.Endpoint;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Inbound flow, on each transport binding's receive thread:
 *
 * <pre>
 *   transport receive ─► handshake message? ─► under load: within its host's share? ─► HandshakeQueue
 *                     │                                                  (the HandshakeWorker answers it)
 *                     └► engine opens it (ChaCha20-Poly1305, replay window) ─► roam to the source
 *                        ─► cryptokey routing: is the inner source address the sender's? ─► PacketBatch
 *                        (a path message instead: pong ─► PeerPath; ping, call-me-maybe ─► PathProbes, timers woken)
 *   end of the transport's batch ─► TUN write, one call for the batch
 * </pre>
 *
 * Nothing here seals or sends: when a packet confirms a new session, the peer's held-back packets are left to
 * {@link PeerTimers}, which is woken for them. Decrypted packets collect in a per-thread batch so a device with
 * offload can merge a TCP flow's segments into one write.
 */
final class Ingress implements DatagramReceiver {
    private final TunDevice tun;
    private final Supplier<PeerSet> peerSet;
    private final HandshakeQueue handshakes;
    private final HandshakeLoad load;
    private final HandshakeAdmission admission;
    private final Runnable wakeTimers;
    private final DropCounters drops;
    private final Faults faults;
    /** One working set per transport I/O thread; a thread keeps its own for its lifetime. */
    private final ThreadLocal<PacketBuffers> buffers = ThreadLocal.withInitial(PacketBuffers::new);
    private final ThreadLocal<PacketBatch> deliveries;

    Ingress(TunDevice tun, Supplier<PeerSet> peerSet, HandshakeQueue handshakes, HandshakeLoad load,
            Runnable wakeTimers, DropCounters drops, Faults faults) {
        this.tun = tun;
        this.peerSet = peerSet;
        this.handshakes = handshakes;
        this.load = load;
        this.admission = new HandshakeAdmission(System.nanoTime());
        this.wakeTimers = wakeTimers;
        this.drops = drops;
        this.faults = faults;
        this.deliveries = ThreadLocal.withInitial(() -> new PacketBatch(tun.mtu()));
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
        writeDeliveries(deliveries.get());
    }

    private void receive(ByteBuffer datagram, Endpoint source, TransportBinding via, long nowNanos) {
        PeerSet set = peerSet.get();
        if (set.engine == null) {
            drops.count(NodeDrop.NO_HANDSHAKE_SERVICE);
            return;
        }
        if (set.engine.isHandshake(datagram)) {
            queueHandshake(datagram, source, via, nowNanos);
            return;
        }
        PacketBatch batch = deliveries.get();
        // decrypt straight into the next delivery slot; a datagram too big for a slot uses the large buffer
        boolean fitsSlot = datagram.remaining() <= batch.slots[0].capacity();
        PacketBuffers b = buffers.get();
        ByteBuffer out = fitsSlot ? batch.next() : b.out;
        PacketOutcome outcome = b.outcome;
        out.clear();
        set.engine.receive(datagram, source, out, nowNanos, outcome);
        NodePeer peer = set.of(outcome.peer());
        if (peer == null || !outcome.authenticated()) {
            if (outcome.action() == PacketOutcome.Action.DELIVER) {
                drops.count(NodeDrop.NOT_ALLOWED_SOURCE); // from a peer removed meanwhile
            }
            return; // otherwise dropped, and the engine counted why
        }
        if (outcome.action() == PacketOutcome.Action.CONTROL) {
            control(peer, out, source, via, nowNanos);
            if (outcome.pollDue()) {
                wakeTimers.run();
            }
            return;
        }
        // roam before delivering, so a reply the packet provokes already goes to the new endpoint
        peer.authenticatedFrom(source, via, nowNanos);
        if (outcome.pollDue()) {
            wakeTimers.run();
        }
        if (outcome.action() == PacketOutcome.Action.DELIVER && admit(set, peer, out)) {
            if (!fitsSlot) {
                writeDeliveries(batch); // keeps the peer's order: queued ones first
                writeNow(b.outAlone);
            } else if (batch.commit()) {
                writeDeliveries(batch);
            }
        }
    }

    /**
     * A path message from the peer (authenticated by the engine). Nothing is sealed here: an owed pong and a
     * probe round the peer asked for are left to the timer thread ({@link PathProber}), woken for them.
     */
    private void control(NodePeer peer, ByteBuffer message, Endpoint source, TransportBinding via, long nowNanos) {
        PeerPath path = peer.path();
        byte type = ProbeMessage.type(message);
        if (type == 0) {
            drops.count(NodeDrop.MALFORMED_PACKET); // a kind of message this node does not know
            return;
        }
        peer.heard();
        long nonce = ProbeMessage.nonce(message);
        if (type == ProbeMessage.PONG) {
            long rtt = path.probes().answered(nonce, source, nowNanos);
            if (rtt >= 0) {
                path.pong(source, via, rtt, nowNanos);
            } else {
                path.controlFrom(source, nowNanos);
            }
            return;
        }
        path.controlFrom(source, nowNanos);
        if (type == ProbeMessage.PING) {
            path.probes().owePong(source, via, nonce);
        } else {
            path.probes().callMeMaybe();
        }
        path.probeNow();
        wakeTimers.run();
    }

    private void queueHandshake(ByteBuffer datagram, Endpoint source, TransportBinding via, long nowNanos) {
        if (load.underLoad(nowNanos) && !admission.admit(source, nowNanos)) {
            load.pressure(nowNanos); // the flood goes on, even though the queue stays short
            drops.count(NodeDrop.HANDSHAKE_RATE_LIMITED);
        } else if (!handshakes.offer(datagram, source, via)) {
            drops.count(NodeDrop.HANDSHAKE_QUEUE_FULL);
        }
    }

    /** Cryptokey routing: whether the packet is well-formed and its source address is the sender's; trims it. */
    private boolean admit(PeerSet set, NodePeer peer, ByteBuffer packet) {
        int start = packet.position();
        int available = packet.remaining();
        int addressLength = IpPackets.addressLength(packet, start, available);
        int length = addressLength == 0 ? -1 : IpPackets.declaredLength(packet, start, addressLength, available);
        if (length < 0) {
            drops.count(NodeDrop.MALFORMED_PACKET);
            return false;
        }
        if (set.routes.lookup(packet, IpPackets.sourceOffset(start, addressLength), addressLength) != peer) {
            drops.count(NodeDrop.NOT_ALLOWED_SOURCE);
            peer.noteError(NodeDrop.NOT_ALLOWED_SOURCE.name());
            return false;
        }
        packet.limit(start + length);
        return true;
    }

    private void writeDeliveries(PacketBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        int count = batch.count();
        batch.reset();
        try {
            int refused = tun.write(batch.slots, count);
            if (refused > 0) {
                drops.add(NodeDrop.TUN_WRITE_FAILED, refused);
                faults.report("writing to " + tun.name() + ": the kernel refused " + refused + " of " + count
                        + " packets (not valid IPv4/IPv6 packets?)");
            }
        } catch (IOException e) {
            drops.add(NodeDrop.TUN_WRITE_FAILED, count);
            faults.report("writing to " + tun.name() + " failed: " + e.getMessage());
        }
    }

    /** @param packet the working buffer {@code out} as a batch of one */
    private void writeNow(ByteBuffer[] packet) {
        try {
            if (tun.write(packet, 1) > 0) {
                drops.count(NodeDrop.TUN_WRITE_FAILED);
                faults.report("writing to " + tun.name() + ": the kernel refused a packet (not a valid IPv4/IPv6"
                        + " packet?)");
            }
        } catch (IOException e) {
            drops.count(NodeDrop.TUN_WRITE_FAILED);
            faults.report("writing to " + tun.name() + " failed: " + e.getMessage());
        }
    }
}
