package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.handshake.internal.noise.NoiseException;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.wireguard.CookieChecker;
import io.tunnelmesh.handshake.internal.wireguard.CookieReply;
import io.tunnelmesh.handshake.internal.wireguard.HandshakeInitiation;
import io.tunnelmesh.handshake.internal.wireguard.HandshakeResponse;
import io.tunnelmesh.handshake.internal.wireguard.MessageType;
import io.tunnelmesh.handshake.internal.wireguard.WireGuardNoise;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Handshake initiations, responses and cookie replies: the order of checks is WireGuard's — exact length, mac1
 * (cheap, proves the sender knows our key), then under load mac2 or a cookie reply and the per-source rate
 * limit, and only then any Diffie-Hellman.
 */
final class HandshakeReceiver {
    private final EngineContext ctx;
    private final Map<NodeKey, WireGuardPeer> peers;
    private final CookieChecker cookieChecker;
    private final HandshakeRateLimiter rateLimiter;

    HandshakeReceiver(EngineContext ctx, Map<NodeKey, WireGuardPeer> peers, CookieChecker cookieChecker, HandshakeRateLimiter rateLimiter) {
        this.ctx = ctx;
        this.peers = peers;
        this.cookieChecker = cookieChecker;
        this.rateLimiter = rateLimiter;
    }

    void receive(int type, ByteBuffer datagram, Endpoint source, ByteBuffer out, long now, boolean underLoad, PacketOutcome outcome) {
        int expected = switch (type) {
            case MessageType.INITIATION -> HandshakeInitiation.LENGTH;
            case MessageType.RESPONSE -> HandshakeResponse.LENGTH;
            default -> CookieReply.LENGTH;
        };
        if (datagram.remaining() != expected) {
            drop(DropReason.MALFORMED, null, outcome);
            return;
        }
        byte[] message = Buffers.copy(datagram);
        if (type == MessageType.COOKIE_REPLY) {
            receiveCookieReply(message, now, outcome);
            return;
        }
        if (!cookieChecker.mac1Valid(message)) {
            drop(DropReason.BAD_MAC1, null, outcome);
            return;
        }
        if (underLoad && !admitUnderLoad(message, type, source, out, now, outcome)) {
            return;
        }
        if (type == MessageType.INITIATION) {
            receiveInitiation(message, out, now, outcome);
        } else {
            receiveResponse(message, now, outcome);
        }
    }

    /** @return whether to go on; otherwise {@code outcome} already holds a cookie reply or a drop */
    private boolean admitUnderLoad(byte[] message, int type, Endpoint source, ByteBuffer out, long now, PacketOutcome outcome) {
        byte[] sourceBytes = source == null ? null : source.dstToBytes();
        if (sourceBytes == null || sourceBytes.length == 0) {
            drop(DropReason.COOKIE_REQUIRED, null, outcome);
            return false;
        }
        if (!cookieChecker.mac2Valid(message, sourceBytes, now)) {
            int senderIndex = type == MessageType.INITIATION ? HandshakeInitiation.senderIndex(message) : HandshakeResponse.senderIndex(message);
            byte[] reply = cookieChecker.createReply(message, senderIndex, sourceBytes, now);
            ctx.drops().count(DropReason.COOKIE_REQUIRED);
            outcome.output(PacketOutcome.Action.SEND_TO_SOURCE, null, Buffers.put(out, reply), false);
            return false;
        }
        if (!rateLimiter.allow(source.dstHostBytes(), now)) {
            drop(DropReason.RATE_LIMITED, null, outcome);
            return false;
        }
        return true;
    }

    private void receiveInitiation(byte[] message, ByteBuffer out, long now, PacketOutcome outcome) {
        WireGuardPeer[] sender = new WireGuardPeer[1];
        NoiseHandshakeState noise = WireGuardNoise.responder(ctx.local(), ctx.psk(), ctx::newEphemeral);
        noise.setRemoteStaticCheck(remoteStatic -> {
            WireGuardPeer p = peers.get(NodeKey.of(remoteStatic));
            if (p == null || p.precomputedStaticStatic() == null) {
                throw new NoiseException("unknown peer");
            }
            sender[0] = p;
            return p.precomputedStaticStatic();
        });
        byte[] timestamp;
        try {
            timestamp = WireGuardNoise.readInitiation(noise, message);
        } catch (NoiseException e) {
            drop(sender[0] == null && noise.remoteStatic() != null ? DropReason.UNKNOWN_PEER : DropReason.HANDSHAKE_FAILED, sender[0], outcome);
            noise.wipe();
            return;
        }
        WireGuardPeer peer = sender[0];
        byte[] response = peer.answerInitiation(noise, timestamp, HandshakeInitiation.senderIndex(message), now, outcome);
        if (response != null) {
            outcome.output(PacketOutcome.Action.SEND_TO_SOURCE, peer, Buffers.put(out, response), true);
        }
    }

    private void receiveResponse(byte[] message, long now, PacketOutcome outcome) {
        IndexOwner owner = ctx.indices().get(HandshakeResponse.receiverIndex(message));
        if (!(owner instanceof PendingHandshake handshake)) {
            drop(DropReason.UNKNOWN_SESSION, null, outcome);
            return;
        }
        WireGuardPeer peer = handshake.peer();
        DropReason refused = peer.consumeResponse(handshake, message, now);
        if (refused != null) {
            drop(refused, peer, outcome);
            return;
        }
        outcome.none(peer, true);
    }

    private void receiveCookieReply(byte[] message, long now, PacketOutcome outcome) {
        IndexOwner owner = ctx.indices().get(CookieReply.receiverIndex(message));
        if (owner == null) {
            drop(DropReason.UNKNOWN_SESSION, null, outcome);
            return;
        }
        WireGuardPeer peer = owner.peer();
        if (!peer.cookies().consumeCookieReply(message, now)) {
            drop(DropReason.DECRYPT_FAILED, peer, outcome);
            return;
        }
        outcome.none(peer, false);
    }

    private void drop(DropReason reason, WireGuardPeer peer, PacketOutcome outcome) {
        if (peer != null) {
            peer.countDrop(reason, outcome);
        } else {
            ctx.drops().count(reason);
            outcome.drop(reason, null);
        }
    }
}
