package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.handshake.PacketOutcome;
import java.nio.ByteBuffer;

/**
 * One thread's reusable working set: an output buffer big enough for any sealed or opened packet and an
 * outcome holder. Direct, so the TUN device and sockets can use it without an extra copy.
 */
final class PacketBuffers {
    /** Largest IP packet (64 KiB) plus the data message header, tag and padding. */
    static final int CAPACITY = 65536 + 64;

    final ByteBuffer out = ByteBuffer.allocateDirect(CAPACITY);
    /** {@link #out} as a batch of one, for a TUN write of a packet too large for a batch slot. */
    final ByteBuffer[] outAlone = {out};
    final PacketOutcome outcome = new PacketOutcome();
}
