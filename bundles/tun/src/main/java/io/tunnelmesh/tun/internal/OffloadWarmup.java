package io.tunnelmesh.tun.internal;

import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * Runs this bundle's packet code (segmenting, checksums, merging) on made-up packets in memory when an offloading
 * device opens, so the JIT has compiled it before the first real packet. The node warms its own path and the
 * transport's, but cannot reach these classes, and writing test packets into the real interface would show in its
 * counters. Without this the first pings through a fresh node spent about 0.2 ms per round trip here, interpreted
 * (docs/PERFORMANCE.md). No system calls; nothing leaves the object.
 *
 * <p>The writes are what a real TUN gets: besides TCP segments to merge, ICMP echoes, UDP datagrams and pure TCP
 * ACKs (IPv4 and IPv6), each in a batch of its own and mixed into batches of segments. With super-packets only,
 * C2 compiled the coalescer for TCP alone and the first real ping's write fell back to the interpreter
 * ({@code TcpCoalescer.isTcp} and {@code OffloadWriter.prepareRun} "unstable if" deoptimizations).
 */
final class OffloadWarmup {
    static final int ROUNDS = 20_000;
    static final long BUDGET_NANOS = 2_000_000_000L;
    private static final int SEGMENTS = 8;
    private static final int NEW_WRITER_EVERY = 500;
    static final int ICMP = 1;
    private static final int ICMPV6 = 58;

    private final OffloadReader reader;
    /**
     * Replaced every {@link #NEW_WRITER_EVERY} rounds: the device's writer is one per writing thread, new when a
     * thread first writes, and its first batch grows the coalescer's arrays ({@code TcpCoalescer.grow} trapped at
     * a real node's first batch of two when the warm-up's one writer had grown only once, interpreted).
     */
    private OffloadWriter writer = new OffloadWriter();
    /** A super-packet's segments and one more packet: a batch mixing a TCP flow with other traffic. */
    private final ByteBuffer[] slots = new ByteBuffer[SEGMENTS + 1];
    private final ByteBuffer superV4;
    private final ByteBuffer superV6;
    private final ByteBuffer ping;
    /** Packets that are not TCP segments to merge, as a TUN carries them beside a TCP stream. */
    private final ByteBuffer[] others;
    /** Super-packets that were cut into all their segments and merged back into one write (tests check it). */
    long roundTrips;
    /** Writes of one packet as it is, planned from a batch (tests check it). */
    long singles;

    OffloadWarmup(int mtu) {
        reader = new OffloadReader(mtu);
        for (int i = 0; i < slots.length; i++) {
            slots[i] = ByteBuffer.allocateDirect(mtu);
        }
        superV4 = superPacket(false, mtu);
        superV6 = superPacket(true, mtu);
        ping = plain(ipv4(84, ICMP));
        others = new ByteBuffer[] {ping, plain(ipv6(104, ICMPV6)), plain(ipv4(128, InternetChecksum.UDP)),
            plain(ipv6(148, InternetChecksum.UDP)), plain(ackHeader(ipv4(40, InternetChecksum.TCP), 20)),
            plain(ackHeader(ipv6(60, InternetChecksum.TCP), 40))};
    }

    /**
     * @return rounds done: each cuts an IPv4 and an IPv6 super-packet and merges the segments back, with another
     *     packet in the same batch (after the IPv4 segments, before the IPv6 ones), writes every other kind of packet
     *     in a batch of its own, and passes a ping through the single-packet write
     */
    int run(BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int done = 0;
        while (done < ROUNDS && !cancelled.getAsBoolean() && System.nanoTime() - deadline < 0) {
            if (done % NEW_WRITER_EVERY == NEW_WRITER_EVERY - 1) {
                writer = new OffloadWriter();
            }
            ByteBuffer other = others[done % others.length];
            cutAndMerge(superV4, other, false);
            cutAndMerge(superV6, other, true);
            for (ByteBuffer p : others) {
                writeAlone(p);
            }
            if (take(ping, 0) == 1) {
                writer.prepareSingle(slots[0]);
            }
            done++;
        }
        return done;
    }

    private void cutAndMerge(ByteBuffer superPacket, ByteBuffer other, boolean otherFirst) {
        int first = otherFirst ? take(other, 0) : 0;
        int segments = take(superPacket, first);
        int n = first + segments + (otherFirst ? 0 : take(other, first + segments));
        int runs = writer.plan(slots, n);
        int merged = 0;
        for (int r = 0; r < runs; r++) {
            merged = Math.max(merged, writer.prepareRun(slots, r));
        }
        if (segments == SEGMENTS && merged == SEGMENTS && runs == n - SEGMENTS + 1) {
            roundTrips++;
        }
    }

    /** A batch of one packet, as the TUN writer gets for a lone ping. */
    private void writeAlone(ByteBuffer read) {
        if (take(read, 0) == 1 && writer.plan(slots, 1) == 1 && writer.prepareRun(slots, 0) == 1
                && writer.length > 0) {
            singles++;
        }
    }

    /**
     * Has the reader accept {@code read} as if read(2) returned it; the packets it gives land in {@link #slots}
     * from {@code from} on. @return how many
     */
    private int take(ByteBuffer read, int from) {
        reader.buffer.put(0, read, 0, read.limit());
        if (!reader.accept(read.limit())) {
            return 0;
        }
        int n = from;
        while (reader.hasNext() && n < slots.length) {
            ByteBuffer slot = slots[n++];
            slot.clear();
            slot.limit(reader.next(slot, 0));
        }
        return n - from;
    }

    /** What the kernel hands over for a TCP stream: headers once, {@link #SEGMENTS} segments of payload. */
    private static ByteBuffer superPacket(boolean ipv6, int mtu) {
        int ipHeader = ipv6 ? 40 : 20;
        int gsoSize = mtu - ipHeader - TcpHeader.MIN_LENGTH;
        int length = ipHeader + TcpHeader.MIN_LENGTH + SEGMENTS * gsoSize;
        ByteBuffer ip = ackHeader(ipv6 ? ipv6(length, InternetChecksum.TCP) : ipv4(length, InternetChecksum.TCP),
                ipHeader);
        return withHeader(ip, ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4, gsoSize, ipHeader,
                TcpHeader.CHECKSUM);
    }

    /** An IPv4 packet of {@code length} bytes, 192.0.2.1 -> 192.0.2.2, zeros after the header. */
    static ByteBuffer ipv4(int length, int protocol) {
        ByteBuffer p = ByteBuffer.allocate(length);
        p.put(0, (byte) 0x45);
        p.putShort(2, (short) length);
        p.putShort(6, (short) 0x4000); // don't fragment
        p.put(8, (byte) 64);
        p.put(9, (byte) protocol);
        p.put(12, new byte[] {(byte) 192, 0, 2, 1});
        p.put(16, new byte[] {(byte) 192, 0, 2, 2});
        return p;
    }

    /**
     * Writes a minimal TCP header with only ACK set (and a full window) after the IP header: with no payload behind
     * it, a pure ACK as a receiver sends back; with payload, a super-packet's template.
     */
    private static ByteBuffer ackHeader(ByteBuffer ip, int ipHeader) {
        ip.put(ipHeader + TcpHeader.DATA_OFFSET, (byte) 0x50);
        ip.put(ipHeader + TcpHeader.FLAGS, (byte) 0x10); // ACK
        ip.putShort(ipHeader + 14, (short) 0xffff); // window
        return ip;
    }

    /** {@code ip} behind a virtio header that asks nothing of the kernel, in a direct buffer. */
    static ByteBuffer plain(ByteBuffer ip) {
        return withHeader(ip, VirtioNetHeader.GSO_NONE, 0, 0, 0);
    }

    private static ByteBuffer ipv6(int length, int nextHeader) {
        ByteBuffer p = ByteBuffer.allocate(length);
        p.put(0, (byte) 0x60);
        p.putShort(4, (short) (length - 40));
        p.put(6, (byte) nextHeader);
        p.put(7, (byte) 64);
        p.put(8, (byte) 0x20);
        p.put(9, (byte) 0x01);
        p.put(10, (byte) 0x0d);
        p.put(11, (byte) 0xb8); // 2001:db8::1 -> 2001:db8::2
        p.put(23, (byte) 1);
        p.put(24, p, 8, 16);
        p.put(39, (byte) 2);
        return p;
    }

    private static ByteBuffer withHeader(ByteBuffer ip, int gsoType, int gsoSize, int csumStart, int csumOffset) {
        VirtioNetHeader h = new VirtioNetHeader();
        h.flags = gsoType == VirtioNetHeader.GSO_NONE ? 0 : VirtioNetHeader.F_NEEDS_CSUM;
        h.gsoType = gsoType;
        h.hdrLen = gsoType == VirtioNetHeader.GSO_NONE ? 0 : csumStart + TcpHeader.MIN_LENGTH;
        h.gsoSize = gsoSize;
        h.csumStart = csumStart;
        h.csumOffset = csumOffset;
        ByteBuffer read = ByteBuffer.allocateDirect(VirtioNetHeader.SIZE + ip.capacity());
        h.encode(read, 0);
        read.put(VirtioNetHeader.SIZE, ip, 0, ip.capacity());
        return read;
    }
}
