package io.tunnelmesh.tun.internal;

import java.nio.ByteBuffer;

/**
 * Plans how a batch of packets goes to the kernel: segments of one TCP flow that are back-to-back in sequence
 * become one run, merged into one super-packet with a virtio header asking the kernel to treat it as a GSO packet
 * (the receive-side twin of {@link TcpSegmenter}, what the kernel's GRO does for a NIC); every other packet is a
 * run of its own. Runs are written in the order of their first packet. Segments of several flows may interleave in
 * the batch (packets from several peers), so up to {@value #OPEN_RUNS} runs stay open at once; a packet of a flow
 * with an open run that cannot join it closes that run, so one flow's packets are never reordered. Sans-IO; one
 * instance per writing thread; its arrays grow to the largest batch seen and are then reused.
 *
 * <p>Segments join a run when they would have been one packet had the sender not cut them: same addresses,
 * ports, IP version and IP header fields (TOS/traffic class, TTL/hop limit, DF), IPv4 without options or
 * fragmentation, the same TCP header length, options, acknowledgement and window, contiguous sequence numbers,
 * flags ACK only (PSH allowed on the last one, as the kernel would set it), the same payload size except a smaller
 * last one, and at most 64 KiB in all. The IPv4 id is not compared: the kernel's own GRO accepts a fixed id when
 * DF is set, and the merged packet only reaches the local stack. Every merged segment's TCP checksum is verified
 * first, since the merged packet goes up with CHECKSUM_PARTIAL and the kernel would not check it again.
 */
final class TcpCoalescer {
    static final int MAX_PACKET = 0xffff;
    static final int OPEN_RUNS = 8;
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;

    /** Per run, in write order: first and last packet index, packets, bytes, payload size, next sequence. */
    private int[] first = new int[0];
    private int[] last = new int[0];
    private int[] size = new int[0];
    private int[] total = new int[0];
    private int[] gsoSize = new int[0];
    private int[] nextSequence = new int[0];
    /** Per packet: the next packet of its run, or -1. */
    private int[] next = new int[0];
    /** Runs that may still grow, oldest first. */
    private final int[] open = new int[OPEN_RUNS];
    private int openCount;
    private int runs;

    /**
     * Splits {@code packets[0, count)} into runs.
     *
     * @return how many runs (writes) there are
     */
    int plan(ByteBuffer[] packets, int count) {
        grow(count);
        runs = 0;
        openCount = 0;
        for (int i = 0; i < count; i++) {
            next[i] = -1;
            ByteBuffer p = packets[i];
            if (!isTcp(p)) {
                if (mayBeTcp(p)) {
                    openCount = 0; // e.g. IPv4 options: its flow is not told apart, so no run may pass it
                }
                startRun(i, p);
                continue;
            }
            int slot = openRunOfFlow(packets, p);
            if (slot >= 0) {
                int r = open[slot];
                if (join(packets, r, i)) {
                    if (payload(p) < gsoSize[r] || (flags(p) & TcpHeader.PSH) != 0) {
                        close(slot); // a short or pushed segment ends what the sender had cut
                    }
                    continue;
                }
                close(slot); // the flow goes on in a new run; the old one takes nothing after this packet
            }
            int r = startRun(i, p);
            if (payload(p) > 0 && flags(p) == TcpHeader.ACK) {
                if (openCount == OPEN_RUNS) {
                    close(0);
                }
                open[openCount++] = r;
            }
        }
        return runs;
    }

    private int startRun(int i, ByteBuffer p) {
        int r = runs++;
        first[r] = i;
        last[r] = i;
        size[r] = 1;
        total[r] = p.remaining();
        if (isTcp(p)) {
            gsoSize[r] = payload(p);
            nextSequence[r] = NetworkOrder.u32(p, p.position() + ipLength(p) + TcpHeader.SEQUENCE) + gsoSize[r];
        }
        return r;
    }

    /** Appends packet {@code i} to run {@code r} if it continues it; @return whether it did */
    private boolean join(ByteBuffer[] packets, int r, int i) {
        ByteBuffer head = packets[first[r]];
        ByteBuffer p = packets[i];
        int data = followingPayload(head, p, gsoSize[r], nextSequence[r]);
        if (data <= 0 || total[r] + data > MAX_PACKET || !checksumVerifies(p)
                || (size[r] == 1 && !checksumVerifies(head))) {
            return false;
        }
        next[last[r]] = i;
        last[r] = i;
        size[r]++;
        total[r] += data;
        nextSequence[r] += data;
        return true;
    }

    private int openRunOfFlow(ByteBuffer[] packets, ByteBuffer p) {
        for (int slot = openCount - 1; slot >= 0; slot--) {
            if (sameFlow(packets[first[open[slot]]], p)) {
                return slot;
            }
        }
        return -1;
    }

    private void close(int slot) {
        System.arraycopy(open, slot + 1, open, slot, openCount - slot - 1);
        openCount--;
    }

    private void grow(int count) {
        if (next.length < count) {
            next = new int[count];
            first = new int[count];
            last = new int[count];
            size = new int[count];
            total = new int[count];
            gsoSize = new int[count];
            nextSequence = new int[count];
        }
    }

    /** The packets of run {@code r}: the first one, then {@link #next} until -1. */
    int first(int r) {
        return first[r];
    }

    int next(int i) {
        return next[i];
    }

    int size(int r) {
        return size[r];
    }

    /** Same IP version, addresses and ports. */
    private static boolean sameFlow(ByteBuffer a, ByteBuffer b) {
        int pa = a.position();
        int pb = b.position();
        boolean ipv6 = version(a) == 6;
        if (ipv6 != (version(b) == 6)) {
            return false;
        }
        return ipv6
                ? NetworkOrder.equal(a, pa + 8, b, pb + 8, 32) && NetworkOrder.equal(a, pa + 40, b, pb + 40, 4)
                : NetworkOrder.equal(a, pa + 12, b, pb + 12, 12);
    }

    /** @return the payload length of {@code p} if it continues the run begun by {@code head}, else 0 */
    private static int followingPayload(ByteBuffer head, ByteBuffer p, int gso, int sequence) {
        int a = head.position();
        int b = p.position();
        boolean ipv6 = version(head) == 6;
        int ip = ipLength(head);
        int tcpLength = TcpHeader.length(head, a + ip);
        boolean sameIp = ipv6
                ? NetworkOrder.equal(head, a, p, b, 4) && head.get(a + 7) == p.get(b + 7)
                : head.get(a + 1) == p.get(b + 1) && (head.get(a + 6) & 0xe0) == (p.get(b + 6) & 0xe0)
                        && head.get(a + 8) == p.get(b + 8);
        int ta = a + ip;
        int tb = b + ip;
        if (!sameIp || TcpHeader.length(p, tb) != tcpLength
                || !NetworkOrder.equal(head, ta + TcpHeader.ACKNOWLEDGEMENT, p, tb + TcpHeader.ACKNOWLEDGEMENT, 4)
                || !NetworkOrder.equal(head, ta + TcpHeader.WINDOW, p, tb + TcpHeader.WINDOW, 2)
                || !NetworkOrder.equal(head, ta + TcpHeader.MIN_LENGTH, p, tb + TcpHeader.MIN_LENGTH,
                        tcpLength - TcpHeader.MIN_LENGTH)
                || NetworkOrder.u32(p, tb + TcpHeader.SEQUENCE) != sequence) {
            return 0;
        }
        int flags = flags(p);
        if (flags != TcpHeader.ACK && flags != (TcpHeader.ACK | TcpHeader.PSH)) {
            return 0;
        }
        int data = payload(p);
        return data <= gso ? data : 0;
    }

    /** IPv4 without options or fragments, or IPv6 without extension headers, carrying a whole TCP header. */
    private static boolean isTcp(ByteBuffer p) {
        int at = p.position();
        int length = p.remaining();
        if (length < IPV4_HEADER + TcpHeader.MIN_LENGTH || length > MAX_PACKET) {
            return false;
        }
        int ip;
        switch (version(p)) {
            case 4 -> {
                if (NetworkOrder.u8(p, at) != 0x45 || NetworkOrder.u16(p, at + 2) != length
                        || (NetworkOrder.u16(p, at + 6) & 0x3fff) != 0
                        || NetworkOrder.u8(p, at + 9) != InternetChecksum.TCP) {
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

    /** Whether a packet {@link #isTcp} refused could still belong to a TCP flow: anything but UDP and ICMP. */
    private static boolean mayBeTcp(ByteBuffer p) {
        if (p.remaining() < IPV6_HEADER) {
            return p.remaining() >= IPV4_HEADER && version(p) == 4
                    && NetworkOrder.u8(p, p.position() + 9) == InternetChecksum.TCP;
        }
        int protocol = NetworkOrder.u8(p, p.position() + (version(p) == 6 ? 6 : 9));
        return protocol != InternetChecksum.UDP && protocol != ICMP && protocol != ICMPV6;
    }

    private static boolean checksumVerifies(ByteBuffer p) {
        int at = p.position();
        int ip = ipLength(p);
        return InternetChecksum.verifies(p, at, ip == IPV6_HEADER, InternetChecksum.TCP, at + ip, p.remaining() - ip);
    }

    private static int version(ByteBuffer p) {
        return NetworkOrder.u8(p, p.position()) >>> 4;
    }

    /** For a packet {@link #isTcp} accepted. */
    private static int ipLength(ByteBuffer p) {
        return version(p) == 6 ? IPV6_HEADER : IPV4_HEADER;
    }

    private static int payload(ByteBuffer p) {
        int ip = ipLength(p);
        return p.remaining() - ip - TcpHeader.length(p, p.position() + ip);
    }

    private static int flags(ByteBuffer p) {
        return NetworkOrder.u8(p, p.position() + ipLength(p) + TcpHeader.FLAGS);
    }

    /**
     * Writes the virtio header and the merged packet of run {@code r} (of at least two packets) at the start of
     * {@code out}.
     *
     * @return the bytes to write, header included
     */
    int merge(ByteBuffer[] packets, int r, ByteBuffer out, VirtioNetHeader header) {
        ByteBuffer head = packets[first[r]];
        boolean v6 = version(head) == 6;
        int ip = ipLength(head);
        int headers = ip + TcpHeader.length(head, head.position() + ip);
        int at = VirtioNetHeader.SIZE;
        out.put(at, head, head.position(), head.remaining());
        int end = at + head.remaining();
        int lastFlags = TcpHeader.ACK;
        for (int i = next[first[r]]; i >= 0; i = next[i]) {
            ByteBuffer p = packets[i];
            int data = p.remaining() - headers;
            out.put(end, p, p.position() + headers, data);
            end += data;
            lastFlags = flags(p);
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
        header.gsoSize = gsoSize[r];
        header.csumStart = ip;
        header.csumOffset = TcpHeader.CHECKSUM;
        header.encode(out, 0);
        return end;
    }
}
