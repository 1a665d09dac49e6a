package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PeerStats;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deliberately trivial engine for the node's ROUTING tests only: no cryptography. A datagram is
 * {@code AUTHENTIC ‖ sender key ‖ packet}; {@code FORGED ‖ sender key ‖ packet} stands for a datagram that
 * names a peer but fails authentication. Everything the real protocol does is tested with the real engine.
 */
final class PassThroughEngine implements TunnelEngine {
    static final byte AUTHENTIC = 0x7e;
    static final byte FORGED = 0x7f;
    static final HandshakeService SERVICE = options -> new PassThroughEngine(options.identity().publicKey());

    private final NodeKey local;
    private final Map<NodeKey, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong[] drops = new AtomicLong[DropReason.values().length];
    volatile boolean closed;

    PassThroughEngine(NodeKey local) {
        this.local = local;
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new AtomicLong();
        }
    }

    /** Builds a datagram as {@code sender} would. */
    static byte[] datagram(byte marker, NodeKey sender, byte[] packet) {
        ByteBuffer b = ByteBuffer.allocate(1 + 32 + packet.length);
        b.put(marker).put(sender.toBytes()).put(packet);
        return b.array();
    }

    @Override
    public NodeKey localKey() {
        return local;
    }

    @Override
    public TunnelPeer addPeer(NodeKey remote, int keepalive) {
        return peers.computeIfAbsent(remote, Peer::new);
    }

    @Override
    public boolean removePeer(NodeKey remote) {
        return peers.remove(remote) != null;
    }

    @Override
    public TunnelPeer peer(NodeKey remote) {
        return peers.get(remote);
    }

    @Override
    public Collection<TunnelPeer> peers() {
        return List.copyOf(peers.values());
    }

    @Override
    public void receive(ByteBuffer datagram, Endpoint source, ByteBuffer out, long nowNanos, PacketOutcome outcome) {
        if (datagram.remaining() < 33 || (datagram.get(datagram.position()) != AUTHENTIC && datagram.get(datagram.position()) != FORGED)) {
            drop(outcome, DropReason.MALFORMED, null);
            return;
        }
        byte marker = datagram.get();
        byte[] key = new byte[32];
        datagram.get(key);
        Peer peer = peers.get(NodeKey.of(key));
        if (peer == null) {
            drop(outcome, DropReason.UNKNOWN_PEER, null);
            return;
        }
        if (marker == FORGED) {
            drop(outcome, DropReason.DECRYPT_FAILED, peer);
            return;
        }
        int n = datagram.remaining();
        peer.rx.addAndGet(n);
        int start = out.position();
        out.put(datagram);
        out.position(start).limit(start + n);
        if (n == 0) {
            outcome.none(peer, true);
        } else {
            outcome.output(PacketOutcome.Action.DELIVER, peer, n, true);
        }
    }

    private void drop(PacketOutcome outcome, DropReason reason, Peer peer) {
        drops[reason.ordinal()].incrementAndGet();
        outcome.drop(reason, peer);
    }

    @Override
    public void setUnderLoad(boolean underLoad) {
    }

    @Override
    public long drops(DropReason reason) {
        return drops[reason.ordinal()].get();
    }

    @Override
    public void close() {
        closed = true;
    }

    final class Peer extends TimerlessPeer {
        private final NodeKey key;
        final AtomicLong rx = new AtomicLong();
        final AtomicLong tx = new AtomicLong();

        Peer(NodeKey key) {
            this.key = key;
        }

        @Override
        public NodeKey publicKey() {
            return key;
        }

        @Override
        public void encapsulate(ByteBuffer ipPacket, ByteBuffer out, long nowNanos, PacketOutcome outcome) {
            int start = out.position();
            int n = ipPacket.remaining();
            out.put(AUTHENTIC).put(local.toBytes()).put(ipPacket);
            out.position(start).limit(start + 33 + n);
            tx.addAndGet(n);
            outcome.output(PacketOutcome.Action.SEND_TO_PEER, this, 33 + n, false);
        }

        @Override
        public PeerStats stats() {
            return new PeerStats(null, rx.get(), tx.get(), 0, null);
        }
    }
}
