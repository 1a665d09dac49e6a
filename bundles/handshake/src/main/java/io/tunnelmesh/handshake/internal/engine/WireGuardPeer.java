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
import io.tunnelmesh.handshake.internal.wireguard.Tai64n;
import io.tunnelmesh.handshake.internal.wireguard.TransportHeader;
import io.tunnelmesh.handshake.internal.wireguard.WireGuardNoise;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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
    private final Sealer sealer;

    private volatile KeypairSlots slots = KeypairSlots.EMPTY;
    private volatile boolean handshakeWanted;
    private volatile boolean needConfirmation;
    private volatile boolean sentLastMinuteHandshake;

    // guarded by this
    private PendingHandshake pending;
    private byte[] lastSentTimestamp;
    private byte[] greatestReceivedTimestamp;
    private long lastInitiationConsumed = NEVER;

    private final LongAdder rxBytes = new LongAdder();
    private final LongAdder txBytes = new LongAdder();
    private final AtomicLong handshakesCompleted = new AtomicLong();
    private volatile Instant latestHandshake;
    private volatile DropReason lastError;

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
        this.sealer = new Sealer(ctx.mtu());
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
        if (out.capacity() - out.position() < ipPacket.remaining() + Sealer.OVERHEAD) {
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
            if (pending == null && timers.initiationAllowedAt() <= nowNanos) {
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
        txBytes.add(n);
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
    void receivedData(Keypair kp, int datagramLength, int payloadLength, long nowNanos) {
        rxBytes.add(datagramLength);
        if (slots.next() == kp) {
            promote(kp, nowNanos);
        }
        timers.anyAuthenticatedReceived(nowNanos);
        if (payloadLength > 0) {
            timers.dataReceived(nowNanos);
        }
        if (kp.initiator() && kp.age(nowNanos) >= ProtocolTimes.REKEY_ON_RECEIVE_AGE && !sentLastMinuteHandshake) {
            sentLastMinuteHandshake = true;
            handshakeWanted = true;
        }
    }

    private synchronized void promote(Keypair kp, long nowNanos) {
        KeypairSlots s = slots;
        if (s.next() == kp) {
            slots = s.promoteNext(this::retire);
            handshakeCompleted(nowNanos);
        }
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
        if (pending != null && now >= timers.retransmitAt) {
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
            if (pending != null) {
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
        return seal(kp, Sealer.EMPTY, out, now, outcome) > 0;
    }

    /** REKEY_ATTEMPT_TIME is over: stop retrying, drop what waited, and wipe keys 3 × reject-after-time later. */
    private void giveUp(long now) {
        release(pending);
        pending = null;
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
            if (handshakeWanted && pending == null) {
                d = timers.initiationAllowedAt();
            }
            if (pending != null) {
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
        return new PeerStats(latestHandshake, rxBytes.sum(), txBytes.sum(), handshakesCompleted.get(), lastError);
    }

    // ---------------------------------------------------------------- handshakes

    /** Writes a new initiation to {@code out}. Caller holds the lock. */
    private void writeInitiation(ByteBuffer out, long now, boolean retry, PacketOutcome outcome) {
        if (precomputedStaticStatic == null) {
            outcome.none(this, false);
            return;
        }
        release(pending);
        if (!retry) {
            timers.attempts = 0;
        }
        int index = ctx.indices().allocate();
        NoiseHandshakeState noise = WireGuardNoise.initiator(ctx.local(), remoteStatic, ctx.psk(), precomputedStaticStatic, ctx::newEphemeral);
        byte[] message;
        try {
            lastSentTimestamp = Tai64n.next(ctx.wallClock().instant(), lastSentTimestamp);
            message = WireGuardNoise.writeInitiation(noise, index, lastSentTimestamp);
        } catch (NoiseException e) {
            // Only a low-order ephemeral/static could cause this; nothing to send.
            ctx.indices().cancel(index);
            outcome.none(this, false);
            return;
        }
        pending = new PendingHandshake(this, index, noise);
        ctx.indices().put(index, pending);
        cookies.addMacs(message, now);
        handshakeWanted = false;
        timers.lastInitiationSent = now;
        timers.retransmitAt = now + ProtocolTimes.REKEY_TIMEOUT + ctx.jitter();
        timers.anyAuthenticatedSent(now);
        txBytes.add(message.length);
        outcome.output(PacketOutcome.Action.SEND_TO_PEER, this, Buffers.put(out, message), false);
    }

    /**
     * An initiation from this peer decrypted; checks freshness, then answers it.
     *
     * @return the response to send, or null after counting the reason in {@code outcome}
     */
    synchronized byte[] answerInitiation(NoiseHandshakeState noise, byte[] timestamp, int remoteIndex, long now, PacketOutcome outcome) {
        if (greatestReceivedTimestamp != null && !Tai64n.isAfter(timestamp, greatestReceivedTimestamp)) {
            countDrop(DropReason.REPLAYED_HANDSHAKE, outcome);
            return null;
        }
        if (lastInitiationConsumed != NEVER && now - lastInitiationConsumed < ProtocolTimes.MIN_INITIATION_INTERVAL) {
            countDrop(DropReason.HANDSHAKE_FLOOD, outcome);
            return null;
        }
        greatestReceivedTimestamp = timestamp;
        lastInitiationConsumed = now;
        // Their initiation supersedes ours (both sides started at once): answer theirs.
        release(pending);
        pending = null;
        timers.retransmitAt = NEVER;
        int index = ctx.indices().allocate();
        byte[] response;
        SessionKeys keys;
        try {
            response = WireGuardNoise.writeResponse(noise, index, remoteIndex);
            keys = WireGuardNoise.split(noise, false);
        } catch (NoiseException e) {
            ctx.indices().cancel(index);
            countDrop(DropReason.HANDSHAKE_FAILED, outcome);
            return null;
        }
        cookies.addMacs(response, now);
        Keypair kp = newKeypair(keys, false, now, index, remoteIndex);
        slots = slots.withResponderKeypair(kp, this::retire);
        sessionDerived(now);
        timers.anyAuthenticatedReceived(now);
        timers.anyAuthenticatedSent(now);
        txBytes.add(response.length);
        return response;
    }

    /** A response to our pending initiation; null on success, else the reason it was refused. */
    synchronized DropReason consumeResponse(PendingHandshake handshake, byte[] message, long now) {
        if (pending != handshake) {
            return DropReason.UNKNOWN_SESSION;
        }
        int remoteIndex = io.tunnelmesh.handshake.internal.wireguard.HandshakeResponse.senderIndex(message);
        SessionKeys keys;
        try {
            WireGuardNoise.readResponse(handshake.noise(), message);
            keys = WireGuardNoise.split(handshake.noise(), true);
        } catch (NoiseException e) {
            // E.g. the peer holds another mesh's psk: it fails exactly here, at message 2. The pending handshake
            // stays, so a forged response cannot cancel a real one.
            lastError = DropReason.HANDSHAKE_FAILED;
            return DropReason.HANDSHAKE_FAILED;
        }
        pending = null;
        timers.retransmitAt = NEVER;
        Keypair kp = newKeypair(keys, true, now, handshake.localIndex(), remoteIndex);
        slots = slots.withInitiatorKeypair(kp, this::retire);
        sessionDerived(now);
        handshakeCompleted(now);
        timers.anyAuthenticatedReceived(now);
        needConfirmation = true;
        rxBytes.add(message.length);
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
        handshakesCompleted.incrementAndGet();
        latestHandshake = ctx.wallClock().instant();
    }

    // ---------------------------------------------------------------- teardown

    private void retire(Keypair kp) {
        if (kp != null) {
            ctx.indices().release(kp);
            kp.destroy();
        }
    }

    private void release(PendingHandshake h) {
        if (h != null) {
            ctx.indices().release(h);
            h.noise().wipe();
        }
    }

    /** Wipes all keys and handshake state (zero-keys timer, removal, engine close). */
    synchronized void wipeSessions() {
        slots.forEach(this::retire);
        slots = KeypairSlots.EMPTY;
        release(pending);
        pending = null;
        timers.retransmitAt = NEVER;
        timers.zeroKeysAt = NEVER;
        needConfirmation = false;
    }

    void countDrop(DropReason reason, PacketOutcome outcome) {
        lastError = reason;
        ctx.drops().count(reason);
        outcome.drop(reason, this);
    }

    /** Sealing with the MTU padding rule; separate so the data path code stays small. */
    static final class Sealer {
        static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
        /** Header, at most 15 bytes of padding, tag. */
        static final int OVERHEAD = TransportHeader.LENGTH + 15 + 16;
        private final int mtu;

        Sealer(int mtu) {
            this.mtu = mtu;
        }

        int seal(Keypair kp, long counter, ByteBuffer ipPacket, ByteBuffer out) {
            int start = out.position();
            int packetPos = ipPacket.position();
            int length = ipPacket.remaining();
            int padding = length == 0 ? 0 : Buffers.padding(length, mtu);
            out.limit(out.capacity());
            TransportHeader.write(out, start, kp.remoteIndex(), counter);
            out.position(start + TransportHeader.LENGTH);
            int n = kp.sendKey().seal(counter, ipPacket, padding, out);
            ipPacket.position(packetPos);
            out.position(start).limit(start + TransportHeader.LENGTH + n);
            return TransportHeader.LENGTH + n;
        }
    }
}
