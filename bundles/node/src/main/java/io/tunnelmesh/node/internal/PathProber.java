package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;

/**
 * The timer thread's part of path selection: seals and sends the path messages of a peer whose
 * {@link PeerPath#probeDue()} has come — pongs the receive threads noted, operators' pings, and what
 * {@link PeerPath#maintain} decides (probe rounds, call-me-maybe, the direct path's watchdog). Runs only on the
 * timer thread, with its own buffers.
 */
final class PathProber implements ProbeSender {
    /** A WireGuard transport data message starts with type 4 (little-endian). */
    private static final byte TRANSPORT_DATA = 4;

    private final Egress egress;
    private final ByteBuffer message = ByteBuffer.allocate(ProbeMessage.LENGTH);
    private final PacketBuffers buffers = new PacketBuffers();
    private final Endpoint[] owedTo = PathProbes.owedEndpoints();
    private final TransportBinding[] owedVia = PathProbes.owedBindings();
    private final long[] owedNonce = PathProbes.owedNonces();
    // the peer of the current turn, for the ProbeSender calls
    private NodePeer peer;
    private TunnelPeer tunnel;
    private long now;

    PathProber(Egress egress) {
        this.egress = egress;
    }

    /** One peer's turn; returns when the next is due. */
    long turn(NodePeer p, TunnelPeer t, long nowNanos) {
        this.peer = p;
        this.tunnel = t;
        this.now = nowNanos;
        PeerPath path = p.path();
        PathProbes probes = path.probes();
        try {
            int owed = probes.takeOwed(owedTo, owedVia, owedNonce);
            for (int i = 0; i < owed; i++) {
                seal(ProbeMessage.PONG, owedNonce[i], owedTo[i], owedVia[i]);
                owedTo[i] = null;
                owedVia[i] = null;
            }
            for (PathProbes.PingWaiter w = probes.takeOperatorPing(); w != null; w = probes.takeOperatorPing()) {
                Endpoint to = path.current();
                if (to == null) {
                    w.fail("peer " + p.key + " has no path yet: no endpoint known, and it has not contacted us");
                } else {
                    seal(ProbeMessage.PING, probes.sending(to, nowNanos, w), to, null);
                }
            }
            return path.maintain(nowNanos, probes.takeCallMeMaybe(), this);
        } finally {
            this.peer = null;
            this.tunnel = null;
        }
    }

    @Override
    public void ping(Endpoint to) {
        seal(ProbeMessage.PING, peer.path().probes().sending(to, now, null), to, null);
    }

    @Override
    public void callMeMaybe(Endpoint via) {
        seal(ProbeMessage.CALL_ME_MAYBE, 0, via, null);
    }

    /**
     * Seals one message for the peer and sends it to {@code to} (through {@code via} when given: a pong goes
     * back the way its ping came). Without a session the engine queues it and returns an initiation, which goes
     * to the peer's current path like any other.
     */
    private void seal(byte type, long nonce, Endpoint to, TransportBinding via) {
        ProbeMessage.write(message, type, nonce);
        ByteBuffer out = buffers.out;
        PacketOutcome outcome = buffers.outcome;
        out.clear();
        tunnel.encapsulate(message, out, now, outcome);
        if (outcome.action() != PacketOutcome.Action.SEND_TO_PEER) {
            return;
        }
        if (out.get(out.position()) == TRANSPORT_DATA) {
            egress.sendTo(to, via, out);
        } else {
            egress.send(peer, out);
        }
    }
}
