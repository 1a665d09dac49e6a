package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Outbound flow, on this one thread:
 *
 * <pre>
 *   TUN read (a batch; an offloaded TCP packet comes as MTU-sized segments)
 *     ─► route: longest prefix match on the destination (AllowedIps); no path to the peer yet: dropped
 *     ─► the peer's TunnelPeer seals it
 *        (no session yet: the engine queues it and returns an initiation instead)
 *     ─► Egress: the transport of the peer's endpoint queues the datagram
 *   end of the batch ─► flush every transport (few system calls for the whole batch)
 * </pre>
 *
 * Only this thread reads the TUN device and seals data, so each peer's packets are sealed in the order they were
 * read; the inbound flow ({@link Ingress}) runs on the transports' threads, on the other core.
 */
final class TunReader implements Runnable {
    /** After a failed read, so a broken device does not spin a core. */
    private static final long ERROR_BACKOFF_NANOS = 10_000_000L;

    private final TunDevice tun;
    private final Supplier<PeerSet> peerSet;
    private final Egress egress;
    private final DropCounters drops;
    private final Faults faults;
    private final PacketBatch batch;
    private final PacketBuffers buffers = new PacketBuffers();
    private volatile boolean running = true;

    TunReader(TunDevice tun, Supplier<PeerSet> peerSet, Egress egress, DropCounters drops, Faults faults) {
        this.tun = tun;
        this.peerSet = peerSet;
        this.egress = egress;
        this.drops = drops;
        this.faults = faults;
        this.batch = new PacketBatch(tun.mtu());
    }

    @Override
    public void run() {
        ByteBuffer[] in = batch.slots;
        while (running) {
            try {
                if (!sendAll(tun.read(in))) {
                    return;
                }
            } catch (IOException e) {
                if (running) {
                    faults.report("reading from " + tun.name() + " failed: " + e.getMessage());
                    LockSupport.parkNanos(ERROR_BACKOFF_NANOS);
                }
            }
        }
    }

    /** Seals the first {@code n} packets of the batch and flushes the transports; false when {@code n} < 0. */
    private boolean sendAll(int n) {
        if (n < 0) {
            return false;
        }
        if (n == 0) {
            return true;
        }
        ByteBuffer[] in = batch.slots;
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try {
                route(in[i], now);
            } catch (RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
                drops.count(NodeDrop.INTERNAL_ERROR);
                faults.report("sending a packet failed: " + e);
            }
        }
        egress.flush();
        return true;
    }

    /** Routes and seals one IP packet (position to limit). */
    void route(ByteBuffer packet, long nowNanos) {
        int start = packet.position();
        int addressLength = IpPackets.addressLength(packet, start, packet.remaining());
        if (addressLength == 0) {
            drops.count(NodeDrop.MALFORMED_PACKET);
            return;
        }
        PeerSet set = peerSet.get();
        NodePeer peer = set.routes.lookup(packet, IpPackets.destinationOffset(start, addressLength), addressLength);
        if (peer == null) {
            drops.count(NodeDrop.NO_ROUTE);
            return;
        }
        TunnelPeer tunnel = peer.tunnel();
        if (tunnel == null) {
            drops.count(NodeDrop.NO_HANDSHAKE_SERVICE);
            return;
        }
        if (!egress.hasPath(peer)) {
            // an initiation made now would be lost, and the engine would wait 5 s to retry it once a path
            // appears (a transport bundle deployed, the peer contacting us): dropped here, and counted
            return;
        }
        ByteBuffer out = buffers.out;
        out.clear();
        tunnel.encapsulate(packet, out, nowNanos, buffers.outcome);
        peer.path().sending(nowNanos); // the path's watchdog waits for an answer
        egress.handle(peer, out, buffers.outcome);
    }

    /** Makes {@link #run} return once the device is closed. */
    void stop() {
        running = false;
    }
}
