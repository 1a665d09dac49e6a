package io.tunnelmesh.transport.udp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What one sending thread is collecting for one send: datagrams for one peer, copied one after the other into one
 * buffer. With UDP generic segmentation offload (UDP_SEGMENT) a run of equal-size datagrams (the last may be
 * shorter) goes to the kernel as one send that it takes through the IP stack once and cuts into the original
 * datagrams at the device: the wire carries exactly the datagrams that were sent, in their order; what is saved is
 * the per-datagram trip through the stack, which dominates the sending cost. Built on the sending thread, so a
 * datagram is copied once and costs no buffer or packet object of its own. Sans-IO, one per thread.
 */
final class SendRun {
    /** The kernel's UDP_MAX_SEGMENTS. */
    static final int MAX_SEGMENTS = 64;
    /** Below the largest UDP payload of IPv4 (65507) and IPv6, so any family fits. */
    static final int MAX_BYTES = 65_000;

    private ByteBuf buffer;
    private InetSocketAddress recipient;
    private int segmentSize;
    private int count;
    /** A datagram shorter than the segment size ended the run. */
    private boolean ended;

    boolean isEmpty() {
        return count == 0;
    }

    int count() {
        return count;
    }

    /** Whether a datagram of {@code length} bytes for {@code to} can join this (non-empty) run. */
    boolean canTake(InetSocketAddress to, int length) {
        return !ended && count < MAX_SEGMENTS && length > 0 && length <= segmentSize && length <= buffer.writableBytes()
                && (to == recipient || to.equals(recipient));
    }

    /**
     * Starts the run with one datagram (position to limit, left unchanged).
     *
     * @param joinable whether more may join (segmentation offload on): then the buffer has room for a whole run
     */
    void start(ByteBuffer datagram, InetSocketAddress to, boolean joinable, ByteBufAllocator alloc) {
        int length = datagram.remaining();
        buffer = alloc.directBuffer(joinable ? Math.max(length, Math.min(MAX_BYTES, length * MAX_SEGMENTS)) : length);
        recipient = to;
        segmentSize = length;
        count = 0;
        ended = !joinable;
        add(datagram);
    }

    /** Appends a datagram that {@link #canTake} accepted (position to limit, left unchanged). */
    void add(ByteBuffer datagram) {
        int length = datagram.remaining();
        int position = datagram.position();
        buffer.writeBytes(datagram); // advances the caller's position: put it back (no duplicate() allocation)
        datagram.position(position);
        count++;
        if (length < segmentSize) {
            ended = true; // a shorter datagram can only be the last segment
        }
    }

    /** The run as one packet to write (a segmented one when it holds several datagrams); the run is empty after. */
    DatagramPacket take() {
        DatagramPacket packet = count == 1 ? new DatagramPacket(buffer, recipient)
                : new SegmentedDatagramPacket(buffer, segmentSize, recipient);
        clear();
        return packet;
    }

    /** Drops what the run holds. */
    void release() {
        if (buffer != null) {
            buffer.release();
        }
        clear();
    }

    private void clear() {
        buffer = null;
        recipient = null;
        count = 0;
    }

    /** How many datagrams a packet made by {@link #take} carries. */
    static int datagramsIn(DatagramPacket packet) {
        if (packet instanceof SegmentedDatagramPacket s) {
            int size = s.segmentSize();
            return (s.content().readableBytes() + size - 1) / size;
        }
        return 1;
    }
}
