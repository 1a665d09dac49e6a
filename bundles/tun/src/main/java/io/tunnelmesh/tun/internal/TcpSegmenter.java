package io.tunnelmesh.tun.internal;

import java.nio.ByteBuffer;

/**
 * Cuts a TCP super-packet the kernel handed over with segmentation offload (virtio gso_type TCPV4/TCPV6) into the
 * MTU-sized segments the kernel would have sent without offload, one at a time, so a caller can take some now and
 * the rest on its next read. Sans-IO: it reads the super-packet in place and writes each segment into a buffer
 * given to {@link #next}.
 *
 * <p>Every segment gets its own IPv4 total length, id (first id + i) and header checksum, or IPv6 payload length;
 * its own sequence number (first + i * gso_size); FIN and PSH only on the last segment and CWR only on the first
 * (RFC 3168: CWR marks one segment); and a full TCP checksum. The header lengths come from the packet itself
 * (csum_start is the IP header length, the TCP data offset the rest), never from hdr_len, and every length is
 * checked before anything is copied: a super-packet that does not add up is refused as a whole.
 */
final class TcpSegmenter {
    private static final int IPV4_MIN_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private ByteBuffer in;
    private int base;
    private boolean ipv6;
    private int ipLength;
    private int headerLength;
    private int payloadLength;
    private int gsoSize;
    private int firstId;
    private int firstSequence;
    private int flags;
    private int addressSum;
    private int count;
    private int nextIndex;

    /**
     * Takes the super-packet at {@code [offset, offset + length)} of {@code packet} described by {@code header}.
     *
     * @param maxSegment the largest segment the caller can take (the MTU)
     * @return false, and nothing pending, when the super-packet is malformed
     */
    boolean start(ByteBuffer packet, int offset, int length, VirtioNetHeader header, int maxSegment) {
        count = 0;
        nextIndex = 0;
        int type = header.baseGsoType();
        // hdr_len is not used (the kernel may count part of the payload in it), but one beyond the packet lies.
        if (length < IPV4_MIN_HEADER || length > 0xffff || header.gsoSize == 0 || header.hdrLen > length
                || header.csumOffset != TcpHeader.CHECKSUM) {
            return false;
        }
        int version = NetworkOrder.u8(packet, offset) >>> 4;
        if (type == VirtioNetHeader.GSO_TCPV4 && version == 4) {
            int ihl = (NetworkOrder.u8(packet, offset) & 0x0f) * 4;
            boolean fragment = (NetworkOrder.u16(packet, offset + 6) & 0x3fff) != 0;
            if (ihl < IPV4_MIN_HEADER || header.csumStart != ihl || fragment
                    || NetworkOrder.u8(packet, offset + 9) != InternetChecksum.TCP) {
                return false;
            }
        } else if (type == VirtioNetHeader.GSO_TCPV6 && version == 6) {
            if (header.csumStart != IPV6_HEADER || length < IPV6_HEADER
                    || NetworkOrder.u8(packet, offset + 6) != InternetChecksum.TCP) {
                return false;
            }
        } else {
            return false;
        }
        int ip = header.csumStart;
        if (length < ip + TcpHeader.MIN_LENGTH) {
            return false;
        }
        int tcpLength = TcpHeader.length(packet, offset + ip);
        int headers = ip + tcpLength;
        if (tcpLength < TcpHeader.MIN_LENGTH || headers >= length
                || headers + Math.min(header.gsoSize, length - headers) > maxSegment) {
            return false;
        }
        in = packet;
        base = offset;
        ipv6 = version == 6;
        ipLength = ip;
        headerLength = headers;
        payloadLength = length - headers;
        gsoSize = header.gsoSize;
        firstId = ipv6 ? 0 : NetworkOrder.u16(packet, offset + 4);
        firstSequence = NetworkOrder.u32(packet, offset + ip + TcpHeader.SEQUENCE);
        flags = NetworkOrder.u8(packet, offset + ip + TcpHeader.FLAGS);
        addressSum = ipv6 ? InternetChecksum.sum(packet, offset + 8, 32) : InternetChecksum.sum(packet, offset + 12, 8);
        count = (payloadLength + gsoSize - 1) / gsoSize;
        return true;
    }

    boolean hasNext() {
        return nextIndex < count;
    }

    int remaining() {
        return count - nextIndex;
    }

    /**
     * Writes the next segment at absolute {@code at} of {@code out}, which must have room for the largest
     * segment ({@code maxSegment} of {@link #start}).
     *
     * @return the segment's length
     */
    int next(ByteBuffer out, int at) {
        int i = nextIndex++;
        int dataStart = i * gsoSize;
        int data = Math.min(gsoSize, payloadLength - dataStart);
        int length = headerLength + data;
        out.put(at, in, base, headerLength);
        out.put(at + headerLength, in, base + headerLength + dataStart, data);
        if (ipv6) {
            NetworkOrder.put16(out, at + 4, length - IPV6_HEADER);
        } else {
            NetworkOrder.put16(out, at + 2, length);
            NetworkOrder.put16(out, at + 4, firstId + i);
            NetworkOrder.put16(out, at + 10, 0);
            NetworkOrder.put16(out, at + 10, InternetChecksum.finish(InternetChecksum.sum(out, at, ipLength)));
        }
        int tcp = at + ipLength;
        NetworkOrder.put32(out, tcp + TcpHeader.SEQUENCE, firstSequence + dataStart);
        int segmentFlags = flags;
        if (i < count - 1) {
            segmentFlags &= ~(TcpHeader.FIN | TcpHeader.PSH);
        }
        if (i > 0) {
            segmentFlags &= ~TcpHeader.CWR;
        }
        out.put(tcp + TcpHeader.FLAGS, (byte) segmentFlags);
        NetworkOrder.put16(out, tcp + TcpHeader.CHECKSUM, 0);
        int tcpBytes = length - ipLength;
        int sum = InternetChecksum.add(addressSum, InternetChecksum.TCP + tcpBytes);
        sum = InternetChecksum.add(sum, InternetChecksum.sum(out, tcp, tcpBytes));
        NetworkOrder.put16(out, tcp + TcpHeader.CHECKSUM, InternetChecksum.finish(sum));
        return length;
    }

    /** Forgets a pending super-packet (its buffer is about to be reused). */
    void clear() {
        count = 0;
        nextIndex = 0;
    }
}
