package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The receive path, on the transports' I/O threads: hand each datagram to the engine, then deliver the
 * decrypted packet to the TUN device if its source address belongs to the sender (cryptokey routing),
 * answer handshakes, follow a roaming peer, and let the peer release what it queued. Decrypted packets
 * collect in a per-thread {@link PacketBatch} that goes to the TUN device in one call at the end of the
 * transport's batch, so a device with offload can merge a TCP flow's segments into one write.
 */
final class Ingress implements DatagramReceiver {
    /** CPU time of handshake processing, for the under-load decision (read only for initiations). */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final TunDevice tun;
    private final TunReader answers;
    private final Supplier<PeerSet> peerSet;
    private final Egress egress;
    private final DropCounters drops;
    private final Faults faults;
    private final ComponentLog log;
    /** One working set per transport I/O thread; a thread keeps its own for its lifetime. */
    private final ThreadLocal<PacketBuffers> buffers = ThreadLocal.withInitial(PacketBuffers::new);
    private final ThreadLocal<PacketBatch> deliveries;
    private final HandshakeLoad load = new HandshakeLoad(System.nanoTime());

    /** @param answers takes what the kernel answers to our TUN writes (see {@link TunReader#takeReady(int)}) */
    Ingress(TunDevice tun, TunReader answers, Supplier<PeerSet> peerSet, Egress egress, DropCounters drops,
            Faults faults, ComponentLog log) {
        this.tun = tun;
        this.answers = answers;
        this.peerSet = peerSet;
        this.egress = egress;
        this.drops = drops;
        this.faults = faults;
        this.log = log;
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
        int written = writeDeliveries(deliveries.get());
        if (written > 0) {
            answers.takeReady(written);
        }
        egress.flush();
    }

    void receive(ByteBuffer datagram, Endpoint source, TransportBinding via, long nowNanos) {
        PeerSet set = peerSet.get();
        if (set.engine == null) {
            drops.count(NodeDrop.NO_HANDSHAKE_SERVICE);
            return;
        }
        PacketBuffers b = buffers.get();
        PacketBatch batch = deliveries.get();
        // decrypt straight into the next delivery slot; a datagram too big for a slot uses the large buffer
        boolean fitsSlot = datagram.remaining() <= batch.slots[0].capacity();
        ByteBuffer out = fitsSlot ? batch.next() : b.out;
        PacketOutcome outcome = b.outcome;
        out.clear();
        boolean initiation = HandshakeLoad.isInitiation(datagram);
        long cpuBefore = initiation ? THREADS.getCurrentThreadCpuTime() : 0;
        set.engine.receive(datagram, source, out, nowNanos, outcome);
        if (initiation) {
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
            tellLoad(set, load.initiationProcessed(nowNanos, cpu, System.nanoTime()));
        } else if (load.underLoad()) {
            tellLoad(set, load.update(nowNanos));
        }
        NodePeer peer = set.of(outcome.peer());
        boolean authenticated = outcome.authenticated() && peer != null;
        if (authenticated) {
            // roam before delivering, so a reply the packet provokes already goes to the new endpoint
            peer.authenticatedFrom(source, via);
        }
        switch (outcome.action()) {
            case DELIVER -> {
                if (admit(set, peer, out)) {
                    if (!fitsSlot) {
                        writeDeliveries(batch); // keeps the peer's order: queued ones first
                        writeNow(out);
                    } else if (batch.commit()) {
                        writeDeliveries(batch);
                    }
                }
            }
            case SEND_TO_SOURCE -> {
                if (!via.send(out, source)) {
                    drops.count(NodeDrop.TRANSPORT_REJECTED);
                }
            }
            case SEND_TO_PEER -> {
                if (peer != null) {
                    egress.send(peer, out);
                }
            }
            case DROP -> dropped(peer, outcome.dropReason());
            default -> {
            }
        }
        if (authenticated) {
            egress.poll(peer, b.out, outcome, nowNanos);
        }
    }

    private void tellLoad(PeerSet set, Boolean underLoad) {
        if (underLoad == null) {
            return;
        }
        set.engine.setUnderLoad(underLoad);
        if (underLoad) {
            log.warn("handshake initiations arrive faster than this node handles them: demanding cookies"
                    + " (WireGuard's under-load mode) until the flood stops");
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
        if (peer == null || set.routes.lookup(packet, IpPackets.sourceOffset(start, addressLength), addressLength) != peer) {
            drops.count(NodeDrop.NOT_ALLOWED_SOURCE);
            if (peer != null) {
                peer.noteError(NodeDrop.NOT_ALLOWED_SOURCE.name());
            }
            return false;
        }
        packet.limit(start + length);
        return true;
    }

    /** @return how many packets were written (or refused) */
    private int writeDeliveries(PacketBatch batch) {
        if (batch.isEmpty()) {
            return 0;
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
        return count;
    }

    private void writeNow(ByteBuffer packet) {
        try {
            tun.write(packet);
        } catch (IOException e) {
            drops.count(NodeDrop.TUN_WRITE_FAILED);
            faults.report("writing to " + tun.name() + " failed: " + e.getMessage());
        }
    }

    /**
     * Only a failed handshake says something about the peer's own configuration; other drops that name a peer
     * (bad or replayed data for one of its sessions) can come from anyone who saw its traffic, so they stay in
     * the counters and the engine's per-peer statistics.
     */
    private void dropped(NodePeer peer, DropReason reason) {
        if (peer != null && reason == DropReason.HANDSHAKE_FAILED && peer.handshakeFailed()) {
            log.warn("handshake with peer " + peer.key + " failed: its reply did not authenticate; most likely"
                    + " the two nodes use different mesh pre-shared keys (psk.file). Logged once until it recovers.");
        }
    }
}
