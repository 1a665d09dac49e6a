package io.tunnelmesh.handshake.internal.engine;

import static io.tunnelmesh.handshake.internal.engine.ProtocolTimes.NEVER;

import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.handshake.internal.noise.NoiseException;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.wireguard.CookieGenerator;
import io.tunnelmesh.handshake.internal.wireguard.SessionKeys;
import io.tunnelmesh.handshake.internal.wireguard.Tai64n;
import io.tunnelmesh.handshake.internal.wireguard.WireGuardNoise;

/**
 * One peer's handshake messages and what WireGuard remembers about them: our pending initiation, the
 * timestamps we sent and accepted, when we last took an initiation. Keys and timers stay with the peer.
 * Guarded by the owning peer's lock.
 */
final class PeerHandshake {
    /** What answering an initiation produced: the response to send and the responder's keys. */
    record Answer(byte[] response, SessionKeys keys, int localIndex) {
    }

    private final WireGuardPeer peer;
    private final EngineContext ctx;
    private final byte[] remoteStatic;
    private final byte[] precomputedStaticStatic;
    private final CookieGenerator cookies;
    private PendingHandshake pending;
    private byte[] lastSentTimestamp;
    private byte[] greatestReceivedTimestamp;
    private long lastInitiationConsumed = NEVER;

    PeerHandshake(WireGuardPeer peer, EngineContext ctx, byte[] remoteStatic, byte[] precomputedStaticStatic, CookieGenerator cookies) {
        this.peer = peer;
        this.ctx = ctx;
        this.remoteStatic = remoteStatic;
        this.precomputedStaticStatic = precomputedStaticStatic;
        this.cookies = cookies;
    }

    boolean isPending() {
        return pending != null;
    }

    boolean isPending(PendingHandshake h) {
        return pending == h;
    }

    /** A new initiation (macs added) replacing any pending one; null when none can be made. */
    byte[] newInitiation(long now) {
        if (precomputedStaticStatic == null) {
            return null; // the peer's "public key" is a low-order point: no handshake can ever succeed
        }
        abandon();
        int index;
        try {
            index = ctx.indices().allocate();
        } catch (IndexTable.TableFullException full) {
            return null;
        }
        NoiseHandshakeState noise = WireGuardNoise.initiator(ctx.local(), remoteStatic, ctx.psk(), precomputedStaticStatic, ctx::newEphemeral);
        byte[] message;
        try {
            lastSentTimestamp = Tai64n.next(ctx.wallClock().instant(), lastSentTimestamp);
            message = WireGuardNoise.writeInitiation(noise, index, lastSentTimestamp);
        } catch (NoiseException e) {
            ctx.indices().cancel(index);
            return null;
        }
        pending = new PendingHandshake(peer, index, noise);
        ctx.indices().put(index, pending);
        cookies.addMacs(message, now);
        return message;
    }

    /** @return why this initiation must be refused (replayed timestamp, flood), or null after recording it */
    DropReason admitInitiation(byte[] timestamp, long now) {
        if (greatestReceivedTimestamp != null && !Tai64n.isAfter(timestamp, greatestReceivedTimestamp)) {
            return DropReason.REPLAYED_HANDSHAKE;
        }
        if (lastInitiationConsumed != NEVER && now - lastInitiationConsumed < ProtocolTimes.MIN_INITIATION_INTERVAL) {
            return DropReason.HANDSHAKE_FLOOD;
        }
        greatestReceivedTimestamp = timestamp;
        lastInitiationConsumed = now;
        return null;
    }

    /**
     * Answers an admitted initiation. Our own pending initiation, if theirs crossed it, stays pending: a mesh makes
     * crossing common (the coordinator pushes both nodes the same map; relay links deliver what was queued while they
     * opened together), and were each side to drop its own, each would wait as responder for a first packet that
     * never comes, until REKEY_TIMEOUT. Kept, whichever initiation arrives completes a session; it keeps its retransmit
     * timer, and goes once their session is confirmed.
     */
    Answer answer(NoiseHandshakeState noise, int remoteIndex, long now) throws NoiseException {
        int index;
        try {
            index = ctx.indices().allocate();
        } catch (IndexTable.TableFullException full) {
            throw new NoiseException(full.getMessage());
        }
        try {
            byte[] response = WireGuardNoise.writeResponse(noise, index, remoteIndex);
            SessionKeys keys = WireGuardNoise.split(noise, false);
            cookies.addMacs(response, now);
            return new Answer(response, keys, index);
        } catch (NoiseException e) {
            ctx.indices().cancel(index);
            throw e;
        }
    }

    /**
     * The initiator's keys from the response to {@code handshake}. On failure (e.g. the peer holds another
     * mesh's psk: it fails exactly here, at message 2) the handshake stays pending, so a forged response
     * cannot cancel a real one.
     */
    SessionKeys complete(PendingHandshake handshake, byte[] response) throws NoiseException {
        WireGuardNoise.readResponse(handshake.noise(), response);
        SessionKeys keys = WireGuardNoise.split(handshake.noise(), true);
        pending = null; // its index now belongs to the keypair made from these keys
        return keys;
    }

    /** Drops the pending initiation, if any, and wipes its secrets. */
    void abandon() {
        if (pending != null) {
            ctx.indices().release(pending);
            pending.noise().wipe();
            pending = null;
        }
    }
}
