package io.tunnelmesh.transport.udp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.util.Queue;

/**
 * UDP generic segmentation offload (UDP_SEGMENT): consecutive queued datagrams for the same peer with the same
 * size (the last may be shorter) are joined into one buffer that the kernel sends through the IP stack once and
 * cuts into the original datagrams at the device. The wire carries exactly the datagrams that were queued, in
 * their order; what is saved is the per-datagram trip through the stack, which dominates the sending cost.
 */
final class SegmentCoalescer {
    /** The kernel's UDP_MAX_SEGMENTS. */
    static final int MAX_SEGMENTS = 64;
    /** Below the largest UDP payload of IPv4 (65507) and IPv6, so any family fits. */
    static final int MAX_BYTES = 65_000;

    private SegmentCoalescer() {
    }

    /**
     * Takes {@code first} and as many following datagrams from {@code queue} as can ride with it.
     *
     * @return {@code first} itself when nothing could join it, else one SegmentedDatagramPacket
     */
    static DatagramPacket coalesce(DatagramPacket first, Queue<DatagramPacket> queue, ByteBufAllocator alloc) {
        int size = first.content().readableBytes();
        DatagramPacket next = queue.peek();
        if (!canJoin(next, first, size, size)) {
            return first;
        }
        ByteBuf joined = alloc.directBuffer(Math.min(MAX_BYTES, size * MAX_SEGMENTS));
        append(joined, first);
        int segments = 1;
        while (segments < MAX_SEGMENTS && canJoin(next, first, size, joined.writableBytes())) {
            queue.poll();
            int nextSize = next.content().readableBytes();
            append(joined, next);
            segments++;
            if (nextSize < size) {
                break; // a shorter datagram can only be the last segment
            }
            next = queue.peek();
        }
        return new SegmentedDatagramPacket(joined, size, first.recipient());
    }

    private static boolean canJoin(DatagramPacket next, DatagramPacket first, int size, int room) {
        if (next == null) {
            return false;
        }
        int nextSize = next.content().readableBytes();
        return nextSize <= size && nextSize > 0 && nextSize <= room
                && (next.recipient() == first.recipient() || next.recipient().equals(first.recipient()));
    }

    private static void append(ByteBuf joined, DatagramPacket packet) {
        joined.writeBytes(packet.content());
        packet.release();
    }
}
