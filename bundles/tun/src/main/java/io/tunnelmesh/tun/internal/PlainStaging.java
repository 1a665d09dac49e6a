package io.tunnelmesh.tun.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One thread's packet buffer on a TUN without virtio header: its packets are copied through here, so every
 * system call gets memory made once (see {@link PacketSyscalls}). A copy of at most 64 KiB costs far less than
 * the call; this is the fallback mode, used only where the kernel refuses offload.
 */
final class PlainStaging {
    /** The largest IP packet: a read never finds more. */
    static final int CAPACITY = 0xffff;

    final ByteBuffer buffer = ByteBuffer.allocateDirect(CAPACITY);
    final MemorySegment memory = MemorySegment.ofBuffer(buffer);

    /** Copies {@code length} bytes from {@code packet}'s position to the start of the buffer. */
    void take(ByteBuffer packet, int length) {
        buffer.put(0, packet, packet.position(), length);
    }

    /** Copies the first {@code length} bytes of the buffer to {@code packet} at its position. */
    void giveTo(ByteBuffer packet, int length) {
        packet.put(packet.position(), buffer, 0, length);
    }
}
