package io.tunnelmesh.tun.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The write side of a TUN opened with a virtio header, one per writing thread: builds in its own buffer what one
 * write(2) sends, either a run of TCP segments merged as {@link TcpCoalescer} planned it or a single packet behind
 * an all-zero header. Copying a packet (about 1.4 KB) costs far less than the system call it saves, and callers
 * need no headroom in front of their packets. Sans-IO.
 */
final class OffloadWriter {
    final ByteBuffer buffer = ByteBuffer.allocateDirect(VirtioNetHeader.SIZE + TcpCoalescer.MAX_PACKET);
    /** {@link #buffer} for the write(2) calls (see {@link PacketSyscalls}). */
    final MemorySegment memory = MemorySegment.ofBuffer(buffer);
    final TcpCoalescer coalescer = new TcpCoalescer();
    private final VirtioNetHeader header = new VirtioNetHeader();
    /** Bytes of {@link #buffer} to write, or -1 when the packet cannot be sent (longer than any IP packet). */
    int length;

    /**
     * Plans the writes of {@code packets[0, count)}.
     *
     * @return how many writes; prepare each in turn with {@link #prepareRun}
     */
    int plan(ByteBuffer[] packets, int count) {
        return coalescer.plan(packets, count);
    }

    /**
     * Prepares write {@code run} of the last {@link #plan}.
     *
     * @return how many packets it carries
     */
    int prepareRun(ByteBuffer[] packets, int run) {
        int n = coalescer.size(run);
        if (n > 1) {
            length = coalescer.merge(packets, run, buffer, header);
        } else {
            prepareSingle(packets[coalescer.first(run)]);
        }
        return n;
    }

    /** Prepares one packet as it is. */
    void prepareSingle(ByteBuffer packet) {
        int size = packet.remaining();
        if (size > TcpCoalescer.MAX_PACKET) {
            length = -1;
            return;
        }
        VirtioNetHeader.encodePlain(buffer, 0);
        buffer.put(VirtioNetHeader.SIZE, packet, packet.position(), size);
        length = VirtioNetHeader.SIZE + size;
    }
}
