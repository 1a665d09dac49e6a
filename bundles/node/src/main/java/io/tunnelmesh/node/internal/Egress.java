package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;

/**
 * Sends engine output to a peer's current path ({@link PeerPath}) through the transport its endpoint names, and drains
 * a peer's timer/queue output. Shared by the TUN reader, the receive path and the timer thread, each with
 * its own buffers.
 */
final class Egress {
    /** A poll that keeps producing output this long is cut off; the next poll continues. */
    private static final int MAX_POLL_OUTPUTS = 512;
    /** A WireGuard handshake initiation starts with type 1 (little-endian). */
    private static final byte HANDSHAKE_INITIATION = 1;

    private final TransportBindings transports;
    private final DropCounters drops;

    Egress(TransportBindings transports, DropCounters drops) {
        this.transports = transports;
        this.drops = drops;
    }

    /**
     * Sends {@code datagram} (position to limit) to the peer's endpoint; counts why when it cannot. A handshake
     * initiation also goes to the peer's other candidates while its path is unconfirmed
     * ({@link PeerPath#handshakeTargets}).
     */
    void send(NodePeer peer, ByteBuffer datagram) {
        Endpoint e = peer.path().current();
        if (e == null) {
            hasPath(peer);
            return;
        }
        TransportBinding b = transports.binding(e.transport());
        if (b == null) {
            drops.count(NodeDrop.NO_TRANSPORT);
            peer.noteError(NodeDrop.NO_TRANSPORT.name());
            return;
        }
        int start = datagram.position();
        boolean initiation = datagram.get(start) == HANDSHAKE_INITIATION;
        if (!b.send(datagram, e)) {
            drops.count(NodeDrop.TRANSPORT_REJECTED);
        }
        if (initiation) {
            for (Endpoint other : peer.path().handshakeTargets()) {
                datagram.position(start);
                sendTo(other, null, datagram);
            }
        }
    }

    /** Sends {@code datagram} to one endpoint, through {@code via} or else the binding of its transport (path probes). */
    void sendTo(Endpoint to, TransportBinding via, ByteBuffer datagram) {
        TransportBinding b = via != null ? via : transports.binding(to.transport());
        if (b == null) {
            drops.count(NodeDrop.NO_TRANSPORT);
        } else if (!b.send(datagram, to)) {
            drops.count(NodeDrop.TRANSPORT_REJECTED);
        }
    }

    /** Whether the peer can be sent to now; when not, counts why (no endpoint, or its transport is missing). */
    boolean hasPath(NodePeer peer) {
        if (peer.path().current() != null) {
            return true;
        }
        NodeDrop why = peer.path().waitingForTransport() ? NodeDrop.NO_TRANSPORT : NodeDrop.NO_ENDPOINT;
        drops.count(why);
        peer.noteError(why.name());
        return false;
    }

    /**
     * Acts on an engine call's outcome for a datagram meant for {@code peer}. A {@code DROP} (e.g. queue
     * full) is already counted by the engine.
     */
    void handle(NodePeer peer, ByteBuffer out, PacketOutcome outcome) {
        if (outcome.action() == PacketOutcome.Action.SEND_TO_PEER) {
            send(peer, out);
        }
    }

    /** Polls the peer until it has nothing more to send now (bounded). */
    void poll(NodePeer peer, ByteBuffer out, PacketOutcome outcome, long nowNanos) {
        TunnelPeer tunnel = peer.tunnel();
        if (tunnel == null) {
            return;
        }
        for (int i = 0; i < MAX_POLL_OUTPUTS; i++) {
            out.clear();
            tunnel.poll(out, nowNanos, outcome);
            if (outcome.action() == PacketOutcome.Action.NONE) {
                return;
            }
            handle(peer, out, outcome);
        }
    }

    void flush() {
        transports.flushAll();
    }
}
