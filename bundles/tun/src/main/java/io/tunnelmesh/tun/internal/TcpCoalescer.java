package io.tunnelmesh.tun.internal;

import java.nio.ByteBuffer;

/**
 * Finds runs of consecutive packets in a batch that are back-to-back segments of one TCP flow and merges a run
 * into one super-packet with a virtio header asking the kernel to treat it as a GSO packet (the receive-side twin
 * of {@link TcpSegmenter}, what the kernel's GRO does on a NIC). Sans-IO; one instance per writing thread.
 *
 * <p>Segments merge when they would have been one packet had the sender not cut them: same addresses, ports, IP
 * version and IP header fields (TOS/traffic class, TTL/hop limit, DF), IPv4 without options or fragmentation,
 * the same TCP header length, options, acknowledgement and window, contiguous sequence numbers, flags ACK only
 * (PSH allowed on the last one, as the kernel would set it), the same payload size except a smaller last one, and
 * at most 64 KiB in all. The IPv4 id is not compared: the kernel's own GRO accepts a fixed id when DF is set, and
 * the merged packet only reaches the local stack. Every merged segment's TCP checksum is verified first, since
 * the merged packet goes up with CHECKSUM_PARTIAL and the kernel would not check it again.
 */
final class TcpCoalescer {
    static final int MAX_PACKET = 0xffff;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;

    private boolean ipv6;
    private int tcpLength;
    private int gsoSize;
    private int nextSequence;

    /**
     * How many packets from {@code packets[from]} on (not beyond {@code to}) merge into one write.
     *
     * @return at least 1; 1 means the packet is written alone
     */
    int runLength(ByteBuffer[] packets, int from, int to) {
        ByteBuffer first = packets[from];
        if (from + 1 >= to || !parseFirst(first)) {
            return 1;
        }
        int total = first.remaining();
        int n = 1;
        while (from + n < to) {
            ByteBuffer next = packets[from + n];
            int data = followingPayload(first, next);
            if (data <= 0 || total + data > MAX_PACKET || !checksumVerifies(next)) {
                break;
            }
            total += data;
            n++;
            nextSequence += data;
            if (data < gsoSize || (flags(next) & TcpHeader.PSH) != 0) {
                break;
            }
        }
        return n > 1 && checksumVerifies(first) ? n : 1;
    }

    private boolean parseFirst(ByteBuffer p) {
        int at = p.position();
        int length = p.remaining();
        if (!isTcp(p, at, length)) {
            return false;
        }
        ipv6 = version(p) == 6;
        int ip = ipv6 ? IPV6_HEADER : IPV4_HEADER;
        tcpLength = TcpHeader.length(p, at + ip);
        gsoSize = length - ip - tcpLength;
        nextSequence = NetworkOrder.u32(p, at + ip + TcpHeader.SEQUENCE) + gsoSize;
        return gsoSize > 0 && flags(p) == TcpHeader.ACK;
    }

    /** @return the payload length of {@code next} if it continues the run begun by {@code first}, else 0 */
    private int followingPayload(ByteBuffer first, ByteBuffer next) {
        int a = first.position();
        int b = next.position();
        int length = next.remaining();
        if (!isTcp(next, b, length) || (version(next) == 6) != ipv6) {
            return 0;
        }
        int ip = ipv6 ? IPV6_HEADER : IPV4_HEADER;
        boolean sameIp = ipv6
                ? NetworkOrder.equal(first, a, next, b, 4) && first.get(a + 7) == next.get(b + 7)
                        && NetworkOrder.equal(first, a + 8, next, b + 8, 32)
                : first.get(a + 1) == next.get(b + 1) && (first.get(a + 6) & 0xe0) == (next.get(b + 6) & 0xe0)
                        && first.get(a + 8) == next.get(b + 8) && NetworkOrder.equal(first, a + 12, next, b + 12, 8);
        int ta = a + ip;
        int tb = b + ip;
        if (!sameIp || TcpHeader.length(next, tb) != tcpLength
                || !NetworkOrder.equal(first, ta, next, tb, 4)
                || !NetworkOrder.equal(first, ta + TcpHeader.ACKNOWLEDGEMENT, next, tb + TcpHeader.ACKNOWLEDGEMENT, 4)
                || !NetworkOrder.equal(first, ta + TcpHeader.WINDOW, next, tb + TcpHeader.WINDOW, 2)
                || !NetworkOrder.equal(first, ta + TcpHeader.MIN_LENGTH, next, tb + TcpHeader.MIN_LENGTH,
                        tcpLength - TcpHeader.MIN_LENGTH)
                || NetworkOrder.u32(next, tb + TcpHeader.SEQUENCE) != nextSequence) {
            return 0;
        }
        int nextFlags = flags(next);
        if (nextFlags != TcpHeader.ACK && nextFlags != (TcpHeader.ACK | TcpHeader.PSH)) {
            return 0;
        }
        int data = length - ip - tcpLength;
        return data <= gsoSize ? data : 0;
    }

    /** IPv4 without options or fragments, or IPv6 without extension headers, carrying a whole TCP header. */
    private static boolean isTcp(ByteBuffer p, int at, int length) {
        if (length < IPV4_HEADER + TcpHeader.MIN_LENGTH || length > MAX_PACKET) {
            return false;
        }
        int ip;
        switch (version(p)) {
            case 4 -> {
                if (NetworkOrder.u8(p, at) != 0x45 || NetworkOrder.u16(p, at + 2) != length
                        || (NetworkOrder.u16(p, at + 6) & 0x3fff) != 0 || NetworkOrder.u8(p, at + 9) != InternetChecksum.TCP) {
                    return false;
                }
                ip = IPV4_HEADER;
            }
            case 6 -> {
                if (length < IPV6_HEADER + TcpHeader.MIN_LENGTH || NetworkOrder.u16(p, at + 4) != length - IPV6_HEADER
                        || NetworkOrder.u8(p, at + 6) != InternetChecksum.TCP) {
                    return false;
                }
                ip = IPV6_HEADER;
            }
            default -> {
                return false;
            }
        }
        int tcp = TcpHeader.length(p, at + ip);
        return tcp >= TcpHeader.MIN_LENGTH && ip + tcp <= length;
    }

    private boolean checksumVerifies(ByteBuffer p) {
        int at = p.position();
        int ip = ipv6 ? IPV6_HEADER : IPV4_HEADER;
        return InternetChecksum.verifies(p, at, ipv6, InternetChecksum.TCP, at + ip, p.remaining() - ip);
    }

    private static int version(ByteBuffer p) {
        return NetworkOrder.u8(p, p.position()) >>> 4;
    }

    private int flags(ByteBuffer p) {
        return NetworkOrder.u8(p, p.position() + (ipv6 ? IPV6_HEADER : IPV4_HEADER) + TcpHeader.FLAGS);
    }

    /**
     * Writes the virtio header and the merged packet of {@code packets[from, from + n)} (a run found by
     * {@link #runLength}, n &ge; 2) at the start of {@code out}.
     *
     * @return the bytes to write, header included
     */
    int merge(ByteBuffer[] packets, int from, int n, ByteBuffer out, VirtioNetHeader header) {
        ByteBuffer first = packets[from];
        boolean v6 = version(first) == 6;
        int ip = v6 ? IPV6_HEADER : IPV4_HEADER;
        int headers = ip + TcpHeader.length(first, first.position() + ip);
        int at = VirtioNetHeader.SIZE;
        out.put(at, first, first.position(), first.remaining());
        int end = at + first.remaining();
        int lastFlags = TcpHeader.ACK;
        for (int i = from + 1; i < from + n; i++) {
            ByteBuffer p = packets[i];
            int data = p.remaining() - headers;
            out.put(end, p, p.position() + headers, data);
            end += data;
            lastFlags = NetworkOrder.u8(p, p.position() + ip + TcpHeader.FLAGS);
        }
        int length = end - at;
        out.put(at + ip + TcpHeader.FLAGS, (byte) lastFlags);
        if (v6) {
            NetworkOrder.put16(out, at + 4, length - IPV6_HEADER);
        } else {
            NetworkOrder.put16(out, at + 2, length);
            NetworkOrder.put16(out, at + 10, 0);
            NetworkOrder.put16(out, at + 10, InternetChecksum.finish(InternetChecksum.sum(out, at, ip)));
        }
        // CHECKSUM_PARTIAL: the field holds the pseudo-header sum; the kernel adds header and payload per segment.
        NetworkOrder.put16(out, at + ip + TcpHeader.CHECKSUM,
                InternetChecksum.pseudoHeaderSum(out, at, v6, InternetChecksum.TCP, length - ip));
        header.flags = VirtioNetHeader.F_NEEDS_CSUM;
        header.gsoType = v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
        header.hdrLen = headers;
        header.gsoSize = first.remaining() - headers;
        header.csumStart = ip;
        header.csumOffset = TcpHeader.CHECKSUM;
        header.encode(out, 0);
        return end;
    }
}
