package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Opens data messages and writes the packets they carry to the TUN device, in the order it is given them. One per
 * thread that opens (a transport's receive thread, or the {@link Decryptor}). Decrypted packets collect in a batch
 * until {@link #flush()}, so a device with offload can merge a TCP flow's segments into one write.
 */
final class Delivery {
    private final TunDevice tun;
    private final Runnable wakeTimers;
    private final DropCounters drops;
    private final Faults faults;
    private final PacketBatch batch;
    private final PacketBuffers buffers = new PacketBuffers();

    Delivery(TunDevice tun, Runnable wakeTimers, DropCounters drops, Faults faults) {
        this.tun = tun;
        this.wakeTimers = wakeTimers;
        this.drops = drops;
        this.faults = faults;
        this.batch = new PacketBatch(tun.mtu());
    }

    /** Opens one data message (position to limit) and queues what it carries for the TUN device. */
    void open(PeerSet set, ByteBuffer datagram, Endpoint source, TransportBinding via, long nowNanos) {
        if (set.engine == null) {
            drops.count(NodeDrop.NO_HANDSHAKE_SERVICE);
            return;
        }
        // decrypt straight into the next delivery slot; a datagram too big for a slot uses the large buffer
        boolean fitsSlot = datagram.remaining() <= batch.slots[0].capacity();
        ByteBuffer out = fitsSlot ? batch.next() : buffers.out;
        PacketOutcome outcome = buffers.outcome;
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
                flush(); // keeps the peer's order: queued ones first
                writeNow(buffers.outAlone);
            } else if (batch.commit()) {
                flush();
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

    /** Writes the queued packets to the TUN device, one call for all of them. */
    void flush() {
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
