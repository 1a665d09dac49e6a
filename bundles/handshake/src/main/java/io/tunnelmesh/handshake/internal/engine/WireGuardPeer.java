package io.tunnelmesh.handshake.internal.engine;

import static io.tunnelmesh.handshake.internal.engine.ProtocolTimes.NEVER;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.handshake.DropReason;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PeerStats;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import io.tunnelmesh.handshake.internal.noise.NoiseException;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.wireguard.CookieGenerator;
import io.tunnelmesh.handshake.internal.wireguard.SessionKeys;
import io.tunnelmesh.handshake.internal.wireguard.HandshakeResponse;
import java.nio.ByteBuffer;

/**
 * One peer: its keypairs, handshake and timers. The data path ({@link #encapsulate} with a live keypair, and
 * {@link #openData}) takes no lock; everything about handshakes, the queue and timers is guarded by this
 * object's monitor.
 */
final class WireGuardPeer implements TunnelPeer {
    private final EngineContext ctx;
    private final NodeKey publicKey;
    private final byte[] remoteStatic;
    private final byte[] precomputedStaticStatic;
    private final CookieGenerator cookies;
    final PeerTimers timers = new PeerTimers();
    private final PacketQueue queue = new PacketQueue();
    private final TransportSealer sealer;

    private volatile KeypairSlots slots = KeypairSlots.EMPTY;
    private volatile boolean handshakeWanted;
    private volatile boolean needConfirmation;
    private volatile boolean sentLastMinuteHandshake;

    /** Guarded by this. */
    private final PeerHandshake handshake;

    private final PeerCounters counters = new PeerCounters();

    WireGuardPeer(EngineContext ctx, NodeKey publicKey, int persistentKeepaliveSeconds) {
        this.ctx = ctx;
        this.publicKey = publicKey;
        this.remoteStatic = publicKey.toBytes();
        byte[] ss;
        try {
            ss = NoiseDh.DH25519.dh(ctx.local().privateKey(), remoteStatic);
        } catch (NoiseException lowOrder) {
            // A low-order "public key" can never complete a handshake; keep the peer but leave it inert.
            ss = null;
        }
        this.precomputedStaticStatic = ss;
        this.cookies = new CookieGenerator(remoteStatic);
        this.sealer = new TransportSealer(ctx.mtu());
        this.handshake = new PeerHandshake(this, ctx, remoteStatic, ss, cookies);
        setPersistentKeepalive(persistentKeepaliveSeconds);
    }

    @Override
    public NodeKey publicKey() {
        return publicKey;
    }

    CookieGenerator cookies() {
        return cookies;
    }

    byte[] precomputedStaticStatic() {
        return precomputedStaticStatic;
    }

    // ---------------------------------------------------------------- data path

    @Override
    public void encapsulate(ByteBuffer ipPacket, ByteBuffer out, long nowNanos, PacketOutcome outcome) {
        if (out.capacity() - out.position() < ipPacket.remaining() + TransportSealer.OVERHEAD) {
            // A caller bug (output buffer too small for this packet), not a network event; refuse it plainly.
            countDrop(DropReason.MALFORMED, outcome);
            return;
        }
        Keypair kp = slots.current();
        if (kp != null && kp.canSend(nowNanos)) {
            int n = seal(kp, ipPacket, out, nowNanos, outcome);
            if (n > 0) {
                return;
            }
        }
        synchronized (this) {
            if (!queue.offer(ipPacket)) {
                countDrop(DropReason.QUEUE_FULL, outcome);
                return;
            }
            handshakeWanted = true;
            if (!handshake.isPending() && timers.initiationAllowedAt() <= nowNanos) {
                writeInitiation(out, nowNanos, false, outcome);
                return;
            }
        }
        outcome.none(this, false);
    }

    /** Seals one packet with {@code kp}. @return the datagram length, or 0 if the keypair ran out of counters */
    private int seal(Keypair kp, ByteBuffer ipPacket, ByteBuffer out, long nowNanos, PacketOutcome outcome) {
        long counter = kp.nextCounter();
        if (counter < 0) {
            handshakeWanted = true;
            return 0;
        }
        int n;
        try {
            n = sealer.seal(kp, counter, ipPacket, out);
        } catch (IllegalStateException destroyedMeanwhile) {
            // The keypair was wiped by another thread (zero-keys timer, removal): treat as no session.
            return 0;
        }
        int payload = ipPacket.remaining();
        counters.sent(n);
        timers.anyAuthenticatedSent(nowNanos);
        if (payload > 0) {
            timers.dataSent(nowNanos);
        }
        if (counter >= ProtocolTimes.REKEY_AFTER_MESSAGES || (kp.initiator() && kp.age(nowNanos) >= ProtocolTimes.REKEY_AFTER_TIME)) {
            handshakeWanted = true;
        }
        outcome.output(PacketOutcome.Action.SEND_TO_PEER, this, n, false);
        return n;
    }

    /** A transport datagram for one of our keypairs, already authenticated and replay-checked by the engine. */
    /** @return whether the datagram confirmed a new session, so queued packets can go now */
    boolean receivedData(Keypair kp, int datagramLength, int payloadLength, long nowNanos) {
        counters.received(datagramLength);
        boolean confirmed = slots.next() == kp && promote(kp, nowNanos);
        timers.anyAuthenticatedReceived(nowNanos);
        if (payloadLength > 0) {
            timers.dataReceived(nowNanos);
        }
        if (kp.initiator() && kp.age(nowNanos) >= ProtocolTimes.REKEY_ON_RECEIVE_AGE && !sentLastMinuteHandshake) {
            sentLastMinuteHandshake = true;
            handshakeWanted = true;
        }
        return confirmed;
    }

    private synchronized boolean promote(Keypair kp, long nowNanos) {
        KeypairSlots s = slots;
        if (s.next() != kp) {
            return false;
        }
        slots = s.promoteNext(this::retire);
        // A session is confirmed: an initiation of ours that crossed theirs is no longer needed.
        handshake.abandon();
        handshakeCompleted(nowNanos);
        return true;
    }

    // ---------------------------------------------------------------- timers

    @Override
    public void poll(ByteBuffer out, long nowNanos, PacketOutcome outcome) {
        synchronized (this) {
            if (pollHandshakeTimers(out, nowNanos, outcome)) {
                return;
            }
            Keypair kp = slots.current();
            if (kp != null && kp.canSend(nowNanos)) {
                if (sendQueued(kp, out, nowNanos, outcome) || sendKeepaliveIfDue(kp, out, nowNanos, outcome)) {
                    return;
                }
            } else if (!queue.isEmpty() || nowNanos >= timers.persistentKeepaliveDeadline()) {
                // Something to send (queued data or a due keepalive) but no usable session.
                handshakeWanted = true;
            }
        }
        outcome.none(this, false);
    }

    private boolean pollHandshakeTimers(ByteBuffer out, long now, PacketOutcome outcome) {
        if (timers.zeroKeysAt != NEVER && now >= timers.zeroKeysAt) {
            wipeSessions();
        }
        if (handshake.isPending() && now >= timers.retransmitAt) {
            if (timers.attempts > ProtocolTimes.MAX_TIMER_HANDSHAKES) {
                giveUp(now);
            } else {
                timers.attempts++;
                writeInitiation(out, now, true, outcome);
                return true;
            }
        }
        if (now >= timers.noReplyDeadline()) {
            timers.awaitingReplySince = NEVER;
            timers.newHandshakeJitter = ctx.jitter();
            handshakeWanted = true;
        }
        if (handshakeWanted) {
            if (handshake.isPending()) {
                handshakeWanted = false;
            } else if (now >= timers.initiationAllowedAt()) {
                writeInitiation(out, now, false, outcome);
                return true;
            }
        }
        return false;
    }

    private boolean sendQueued(Keypair kp, ByteBuffer out, long now, PacketOutcome outcome) {
        byte[] packet = queue.poll();
        if (packet == null) {
            return false;
        }
        needConfirmation = false;
        return seal(kp, ByteBuffer.wrap(packet), out, now, outcome) > 0;
    }

    private boolean sendKeepaliveIfDue(Keypair kp, ByteBuffer out, long now, PacketOutcome outcome) {
        boolean due = needConfirmation || now >= timers.passiveKeepaliveDeadline() || now >= timers.persistentKeepaliveDeadline();
        if (!due) {
            return false;
        }
        needConfirmation = false;
        return seal(kp, TransportSealer.EMPTY, out, now, outcome) > 0;
    }

    /** REKEY_ATTEMPT_TIME is over: stop retrying, drop what waited, and wipe keys 3 × reject-after-time later. */
    private void giveUp(long now) {
        handshake.abandon();
        timers.retransmitAt = NEVER;
        handshakeWanted = false;
        queue.clear();
        timers.keepaliveOwedSince = NEVER;
        if (timers.zeroKeysAt == NEVER) {
            timers.zeroKeysAt = now + ProtocolTimes.ZERO_KEYS_AFTER;
        }
    }

    @Override
    public long nextDeadlineNanos() {
        synchronized (this) {
            long d = Long.MAX_VALUE;
            if (handshakeWanted && !handshake.isPending()) {
                d = timers.initiationAllowedAt();
            }
            if (handshake.isPending()) {
                d = Math.min(d, timers.retransmitAt);
            }
            d = Math.min(d, PeerTimers.orMax(timers.zeroKeysAt));
            d = Math.min(d, timers.noReplyDeadline());
            Keypair kp = slots.current();
            if (kp != null) {
                if (needConfirmation || !queue.isEmpty()) {
                    return Long.MIN_VALUE;
                }
                d = Math.min(d, timers.passiveKeepaliveDeadline());
                d = Math.min(d, timers.persistentKeepaliveDeadline());
            }
            return d;
        }
    }

    @Override
    public void requestHandshake() {
        handshakeWanted = true;
    }

    @Override
    public void setPersistentKeepalive(int seconds) {
        if (seconds < 0 || seconds > 65535) {
            throw new IllegalArgumentException("persistent keepalive must be 0 (off) to 65535 seconds, got " + seconds);
        }
        timers.persistentKeepaliveSeconds = seconds;
        if (seconds > 0 && slots.current() == null) {
            // As WireGuard does when a keepalive is configured: bring the session up now, so the peer is
            // reachable through NAT before any traffic needs it.
            handshakeWanted = true;
        }
    }

    @Override
    public PeerStats stats() {
        return counters.snapshot();
    }

    // ---------------------------------------------------------------- handshakes

    /** Writes a new initiation to {@code out}. Caller holds the lock. */
    private void writeInitiation(ByteBuffer out, long now, boolean retry, PacketOutcome outcome) {
        if (!retry) {
            timers.attempts = 0;
        }
        byte[] message = handshake.newInitiation(now);
        if (message == null) {
            outcome.none(this, false);
            return;
        }
        handshakeWanted = false;
        timers.lastInitiationSent = now;
        timers.retransmitAt = now + ProtocolTimes.REKEY_TIMEOUT + ctx.jitter();
        timers.anyAuthenticatedSent(now);
        counters.sent(message.length);
        outcome.output(PacketOutcome.Action.SEND_TO_PEER, this, Buffers.put(out, message), false);
    }

    /**
     * An initiation from this peer decrypted; checks freshness, then answers it.
     *
     * @return the response to send, or null after counting the reason in {@code outcome}
     */
    synchronized byte[] answerInitiation(NoiseHandshakeState noise, byte[] timestamp, int remoteIndex, long now, PacketOutcome outcome) {
        DropReason refused = handshake.admitInitiation(timestamp, now);
        if (refused != null) {
            countDrop(refused, outcome);
            return null;
        }
        PeerHandshake.Answer answer;
        try {
            answer = handshake.answer(noise, remoteIndex, now);
        } catch (NoiseException e) {
            countDrop(DropReason.HANDSHAKE_FAILED, outcome);
            return null;
        }
        Keypair kp = newKeypair(answer.keys(), false, now, answer.localIndex(), remoteIndex);
        slots = slots.withResponderKeypair(kp, this::retire);
        sessionDerived(now);
        timers.anyAuthenticatedReceived(now);
        timers.anyAuthenticatedSent(now);
        counters.sent(answer.response().length);
        return answer.response();
    }

    /** A response to our pending initiation; null on success, else the reason it was refused. */
    synchronized DropReason consumeResponse(PendingHandshake pendingHandshake, byte[] message, long now) {
        if (!handshake.isPending(pendingHandshake)) {
            return DropReason.UNKNOWN_SESSION;
        }
        SessionKeys keys;
        try {
            keys = handshake.complete(pendingHandshake, message);
        } catch (NoiseException e) {
            counters.error(DropReason.HANDSHAKE_FAILED);
            return DropReason.HANDSHAKE_FAILED;
        }
        timers.retransmitAt = NEVER;
        Keypair kp = newKeypair(keys, true, now, pendingHandshake.localIndex(), HandshakeResponse.senderIndex(message));
        slots = slots.withInitiatorKeypair(kp, this::retire);
        sessionDerived(now);
        handshakeCompleted(now);
        timers.anyAuthenticatedReceived(now);
        needConfirmation = true;
        counters.received(message.length);
        return null;
    }

    private Keypair newKeypair(SessionKeys keys, boolean initiator, long now, int localIndex, int remoteIndex) {
        Keypair kp = new Keypair(this, ctx.cipher().newKey(keys.sendKey()), ctx.cipher().newKey(keys.receiveKey()), initiator, now, localIndex, remoteIndex);
        keys.wipe();
        ctx.indices().put(localIndex, kp);
        return kp;
    }

    private void sessionDerived(long now) {
        timers.zeroKeysAt = now + ProtocolTimes.ZERO_KEYS_AFTER;
        sentLastMinuteHandshake = false;
    }

    private void handshakeCompleted(long now) {
        timers.attempts = 0;
        timers.retransmitAt = NEVER;
        // Whatever wanted a session while this handshake was in flight (queued packets) now has one; left set,
        // it started a second handshake REKEY_TIMEOUT after the first.
        handshakeWanted = false;
        counters.handshakeCompleted(ctx.wallClock().instant());
    }

    // ---------------------------------------------------------------- teardown

    private void retire(Keypair kp) {
        if (kp != null) {
            ctx.indices().release(kp);
            kp.destroy();
        }
    }

    /** Wipes all keys and handshake state (zero-keys timer, removal, engine close). */
    synchronized void wipeSessions() {
        slots.forEach(this::retire);
        slots = KeypairSlots.EMPTY;
        handshake.abandon();
        timers.retransmitAt = NEVER;
        timers.zeroKeysAt = NEVER;
        needConfirmation = false;
    }

    void countDrop(DropReason reason, PacketOutcome outcome) {
        counters.error(reason);
        ctx.drops().count(reason);
        outcome.drop(reason, this);
    }
}
