package io.tunnelmesh.tun.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The read side of a TUN opened with a virtio header: owns the buffer one read(2) fills (header and up to 64 KiB
 * of packet), makes what the kernel put there into plain IP packets and hands them out one per call to
 * {@link #next}, keeping the rest for later calls. Sans-IO and single-threaded: the device reads into
 * {@link #buffer} and calls {@link #accept}.
 *
 * <p>A packet the kernel left with a partial checksum (CHECKSUM_PARTIAL, because the TUN claims checksum offload)
 * is completed here, since the peer that receives it will check it. Super-packets are segmented by
 * {@link TcpSegmenter}. UDP segmentation is never enabled, so a UDP GSO packet, like any malformed one, is dropped
 * and counted.
 */
final class OffloadReader {
    static final int BUFFER_SIZE = VirtioNetHeader.SIZE + 0xffff;

    final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    /** {@link #buffer} for the read(2) calls (see {@link PacketSyscalls}). */
    final MemorySegment memory = MemorySegment.ofBuffer(buffer);
    private final VirtioNetHeader header = new VirtioNetHeader();
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final int mtu;
    private int plainLength = -1;
    private long superPackets;
    private long segments;
    private long dropped;

    OffloadReader(int mtu) {
        this.mtu = mtu;
    }

    /**
     * Takes what one read(2) put into {@link #buffer}.
     *
     * @param length the bytes read, virtio header included
     * @return whether it gave at least one packet (false: dropped as malformed)
     */
    boolean accept(int length) {
        segmenter.clear();
        plainLength = -1;
        int packetLength = length - VirtioNetHeader.SIZE;
        if (packetLength <= 0) {
            dropped++;
            return false;
        }
        header.decode(buffer, 0);
        int type = header.baseGsoType();
        if (type == VirtioNetHeader.GSO_NONE) {
            if (packetLength > mtu || !completeChecksum(packetLength)) {
                dropped++;
                return false;
            }
            plainLength = packetLength;
            return true;
        }
        if ((type == VirtioNetHeader.GSO_TCPV4 || type == VirtioNetHeader.GSO_TCPV6)
                && segmenter.start(buffer, VirtioNetHeader.SIZE, packetLength, header, mtu)) {
            superPackets++;
            return true;
        }
        dropped++;
        return false;
    }

    private boolean completeChecksum(int packetLength) {
        if ((header.flags & VirtioNetHeader.F_NEEDS_CSUM) == 0) {
            return true;
        }
        int field = header.csumStart + header.csumOffset;
        if (field + 2 > packetLength) {
            return false;
        }
        InternetChecksum.completePartial(buffer, VirtioNetHeader.SIZE + header.csumStart,
                VirtioNetHeader.SIZE + packetLength, VirtioNetHeader.SIZE + field);
        return true;
    }

    boolean hasNext() {
        return plainLength >= 0 || segmenter.hasNext();
    }

    /**
     * Writes the next packet at absolute {@code at} of {@code out}, which has room for the MTU.
     *
     * @return its length
     */
    int next(ByteBuffer out, int at) {
        if (plainLength >= 0) {
            int length = plainLength;
            plainLength = -1;
            out.put(at, buffer, VirtioNetHeader.SIZE, length);
            return length;
        }
        segments++;
        return segmenter.next(out, at);
    }

    long superPackets() {
        return superPackets;
    }

    long segments() {
        return segments;
    }

    long dropped() {
        return dropped;
    }
}
