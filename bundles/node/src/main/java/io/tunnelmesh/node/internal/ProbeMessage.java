package io.tunnelmesh.node.internal;

import java.nio.ByteBuffer;

/**
 * The node's path messages, sealed inside the peer's WireGuard session as a data plaintext that is not an IP
 * packet (first byte 0x54: version nibble 5), so only the peer can send them and a stock WireGuard peer drops
 * them: {@code 'T' 'M' 'P' VERSION TYPE NONCE(8)}. A ping asks for a pong with the same nonce, sent back to the
 * ping's source; a call-me-maybe (sent through the relay) asks the peer to probe our direct candidates now, so
 * both NATs open at the same moment.
 */
final class ProbeMessage {
    static final byte PING = 1;
    static final byte PONG = 2;
    static final byte CALL_ME_MAYBE = 3;
    static final int LENGTH = 13;
    private static final byte VERSION = 1;

    private ProbeMessage() {
    }

    /** Writes a message at the buffer's position and flips it for sealing. */
    static void write(ByteBuffer b, byte type, long nonce) {
        b.clear();
        b.put((byte) 'T').put((byte) 'M').put((byte) 'P').put(VERSION).put(type).putLong(nonce);
        b.flip();
    }

    /** The type of the message at the buffer's position, or 0 when it is none of ours. */
    static byte type(ByteBuffer b) {
        int at = b.position();
        if (b.remaining() < LENGTH || b.get(at) != 'T' || b.get(at + 1) != 'M' || b.get(at + 2) != 'P' || b.get(at + 3) != VERSION) {
            return 0;
        }
        byte type = b.get(at + 4);
        return type >= PING && type <= CALL_ME_MAYBE ? type : 0;
    }

    static long nonce(ByteBuffer b) {
        return b.getLong(b.position() + 5);
    }
}
