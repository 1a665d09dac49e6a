package io.tunnelmesh.handshake.internal.engine;

/** WireGuard's timer and limit constants (whitepaper §6), in nanoseconds where they are times. */
final class ProtocolTimes {
    static final long SECOND = 1_000_000_000L;
    static final long REKEY_AFTER_MESSAGES = 1L << 60;
    static final long REKEY_AFTER_TIME = 120 * SECOND;
    static final long REJECT_AFTER_TIME = 180 * SECOND;
    static final long REKEY_TIMEOUT = 5 * SECOND;
    static final long KEEPALIVE_TIMEOUT = 10 * SECOND;
    /** Retransmissions before giving up: 90 s / 5 s; the attempt that exceeds it ends the handshake. */
    static final int MAX_TIMER_HANDSHAKES = 18;
    static final long MAX_JITTER = 333_000_000L;
    /** An initiator receiving on a keypair this old sends one last-minute initiation. */
    static final long REKEY_ON_RECEIVE_AGE = REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT;
    /** With no new handshake for 3 × reject-after-time all key material is wiped. */
    static final long ZERO_KEYS_AFTER = 3 * REJECT_AFTER_TIME;
    /** A responder takes at most one initiation per peer per 1 s / 50. */
    static final long MIN_INITIATION_INTERVAL = SECOND / 50;
    /** Packets held per peer while a handshake is under way (wireguard-go's staged queue size). */
    static final int QUEUE_CAPACITY = 128;
    /** "Not set" for the optional timestamps below: nanoTime values can be any long, but not this one. */
    static final long NEVER = Long.MIN_VALUE;

    private ProtocolTimes() {
    }

    static boolean reached(long since, long duration, long now) {
        return since != NEVER && now - since >= duration;
    }
}
