package io.tunnelmesh.handshake.internal.engine;

import static io.tunnelmesh.handshake.internal.engine.ProtocolTimes.NEVER;

/**
 * WireGuard's per-peer timers (whitepaper §6.2) as timestamps in virtual time rather than scheduled tasks, so
 * {@link WireGuardPeer#poll} can evaluate them at any {@code nowNanos} and the node needs no timer threads.
 *
 * <p>The data path only writes the four volatile event times below (no lock); the handshake fields are guarded
 * by the owning peer's lock.
 */
final class PeerTimers {
    /** Last authenticated packet of any kind sent / received (persistent keepalive counts from these). */
    volatile long lastSent = NEVER;
    volatile long lastReceived = NEVER;
    /** First data packet sent since we last heard from the peer: 15 s later without a reply we rehandshake. */
    volatile long awaitingReplySince = NEVER;
    /** First data packet received since we last sent anything: 10 s later we owe a passive keepalive. */
    volatile long keepaliveOwedSince = NEVER;
    volatile int persistentKeepaliveSeconds;

    // guarded by the peer's lock
    long lastInitiationSent = NEVER;
    long retransmitAt = NEVER;
    int attempts;
    long zeroKeysAt = NEVER;
    /** Jitter added to the no-reply timer, drawn again after each use. */
    long newHandshakeJitter;

    void anyAuthenticatedSent(long now) {
        lastSent = now;
        if (keepaliveOwedSince != NEVER) {
            keepaliveOwedSince = NEVER;
        }
    }

    void anyAuthenticatedReceived(long now) {
        lastReceived = now;
        if (awaitingReplySince != NEVER) {
            awaitingReplySince = NEVER;
        }
    }

    void dataSent(long now) {
        if (awaitingReplySince == NEVER) {
            awaitingReplySince = now;
        }
    }

    void dataReceived(long now) {
        if (keepaliveOwedSince == NEVER) {
            keepaliveOwedSince = now;
        }
    }

    long noReplyDeadline() {
        long since = awaitingReplySince;
        return since == NEVER ? Long.MAX_VALUE : since + ProtocolTimes.KEEPALIVE_TIMEOUT + ProtocolTimes.REKEY_TIMEOUT + newHandshakeJitter;
    }

    long passiveKeepaliveDeadline() {
        long since = keepaliveOwedSince;
        return since == NEVER ? Long.MAX_VALUE : since + ProtocolTimes.KEEPALIVE_TIMEOUT;
    }

    long persistentKeepaliveDeadline() {
        int seconds = persistentKeepaliveSeconds;
        long last = Math.max(lastSent, lastReceived);
        return seconds <= 0 || last == NEVER ? Long.MAX_VALUE : last + seconds * ProtocolTimes.SECOND;
    }

    /** Earliest time a new (non-retry) initiation may go out: one per REKEY_TIMEOUT. */
    long initiationAllowedAt() {
        return lastInitiationSent == NEVER ? Long.MIN_VALUE : lastInitiationSent + ProtocolTimes.REKEY_TIMEOUT;
    }

    static long orMax(long deadline) {
        return deadline == NEVER ? Long.MAX_VALUE : deadline;
    }
}
