package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.cipher.PacketCipher;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.handshake.internal.wireguard.CookieChecker;
import io.tunnelmesh.handshake.internal.wireguard.MessageType;
import io.tunnelmesh.handshake.internal.wireguard.TransportHeader;
import io.tunnelmesh.handshake.internal.wireguard.WireGuardNoise;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WireGuard protocol engine of one node: dispatches received datagrams by type, owns the peers, the index
 * table, the cookie checker and the handshake rate limiter. Sans-IO: every call takes bytes and the time.
 */
public final class WireGuardEngine implements TunnelEngine {
    private final NodeKey localKey;
    private final EngineContext ctx;
    private final ConcurrentHashMap<NodeKey, WireGuardPeer> peers = new ConcurrentHashMap<>();
    private final CookieChecker cookieChecker;
    private final HandshakeRateLimiter rateLimiter = new HandshakeRateLimiter();
    private final HandshakeReceiver handshakes;
    private volatile boolean underLoad;

    public WireGuardEngine(EngineOptions options, PacketCipher cipher, SecureRandom random) {
        this.localKey = options.identity().publicKey();
        var local = new WireGuardNoise.LocalStatic(options.identity().privateKey(), localKey.toBytes());
        this.ctx = new EngineContext(local, options.meshKey().toBytes(), cipher, new IndexTable(random), random,
                options.wallClock(), options.mtu(), new DropCounters());
        this.cookieChecker = new CookieChecker(local.publicKey(), random);
        this.handshakes = new HandshakeReceiver(ctx, peers, cookieChecker, rateLimiter);
    }

    @Override
    public NodeKey localKey() {
        return localKey;
    }

    @Override
    public TunnelPeer addPeer(NodeKey remote, int persistentKeepaliveSeconds) {
        WireGuardPeer p = peers.computeIfAbsent(remote, k -> new WireGuardPeer(ctx, k, persistentKeepaliveSeconds));
        p.setPersistentKeepalive(persistentKeepaliveSeconds);
        return p;
    }

    @Override
    public boolean removePeer(NodeKey remote) {
        WireGuardPeer p = peers.remove(remote);
        if (p != null) {
            p.wipeSessions();
        }
        return p != null;
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
        int length = datagram.remaining();
        if (length < 4) {
            drop(DropReason.MALFORMED, outcome);
            return;
        }
        int type = TransportHeader.readLe32(datagram, datagram.position());
        switch (type) {
            case MessageType.TRANSPORT -> receiveData(datagram, out, nowNanos, outcome);
            case MessageType.INITIATION, MessageType.RESPONSE, MessageType.COOKIE_REPLY ->
                    handshakes.receive(type, datagram, source, out, nowNanos, underLoad, outcome);
            default -> drop((type & 0xffffff00) == 0 ? DropReason.UNKNOWN_TYPE : DropReason.MALFORMED, outcome);
        }
    }

    @Override
    public boolean isHandshake(ByteBuffer datagram) {
        if (datagram.remaining() < 4) {
            return false;
        }
        int type = TransportHeader.readLe32(datagram, datagram.position());
        return type == MessageType.INITIATION || type == MessageType.RESPONSE || type == MessageType.COOKIE_REPLY;
    }

    /** The data path: no lock, no allocation, no exception for any input. */
    private void receiveData(ByteBuffer datagram, ByteBuffer out, long now, PacketOutcome outcome) {
        int start = datagram.position();
        int length = datagram.remaining();
        if (length < TransportHeader.MIN_MESSAGE) {
            drop(DropReason.MALFORMED, outcome);
            return;
        }
        IndexOwner owner = ctx.indices().get(TransportHeader.receiverIndex(datagram, start));
        if (!(owner instanceof Keypair kp)) {
            drop(DropReason.UNKNOWN_SESSION, outcome);
            return;
        }
        WireGuardPeer peer = kp.peer();
        if (kp.expired(now)) {
            peer.countDrop(DropReason.EXPIRED_SESSION, outcome);
            return;
        }
        long counter = TransportHeader.counter(datagram, start);
        int outStart = out.position();
        out.limit(out.capacity());
        datagram.position(start + TransportHeader.LENGTH);
        int n = kp.receiveKey().open(counter, datagram, out);
        datagram.position(start);
        out.position(outStart);
        if (n < 0) {
            out.limit(outStart);
            peer.countDrop(DropReason.DECRYPT_FAILED, outcome);
            return;
        }
        if (!kp.acceptCounter(counter)) {
            out.limit(outStart);
            peer.countDrop(DropReason.REPLAYED_PACKET, outcome);
            return;
        }
        boolean confirmed = peer.receivedData(kp, length, n, now);
        if (n == 0) {
            out.limit(outStart);
            outcome.none(peer, true);
            if (confirmed) {
                outcome.markPollDue();
            }
            return;
        }
        if (!Buffers.ipVersion(out, outStart)) {
            // not an IP packet: the node's own control message (path probes), which it reads or drops
            out.limit(outStart + n);
            outcome.output(PacketOutcome.Action.CONTROL, peer, n, true);
            if (confirmed) {
                outcome.markPollDue();
            }
            return;
        }
        int inner = Buffers.innerIpLength(out, outStart, n);
        if (inner < 0) {
            out.limit(outStart);
            peer.countDrop(DropReason.MALFORMED, outcome);
            return;
        }
        out.limit(outStart + inner);
        outcome.output(PacketOutcome.Action.DELIVER, peer, inner, true);
        if (confirmed) {
            outcome.markPollDue();
        }
    }

    private void drop(DropReason reason, PacketOutcome outcome) {
        ctx.drops().count(reason);
        outcome.drop(reason, null);
    }

    @Override
    public void setUnderLoad(boolean underLoad) {
        this.underLoad = underLoad;
    }

    @Override
    public long drops(DropReason reason) {
        return ctx.drops().get(reason);
    }

    @Override
    public void close() {
        for (WireGuardPeer p : peers.values()) {
            p.wipeSessions();
        }
        peers.clear();
        Arrays.fill(ctx.local().privateKey(), (byte) 0);
        Arrays.fill(ctx.psk(), (byte) 0);
    }
}
