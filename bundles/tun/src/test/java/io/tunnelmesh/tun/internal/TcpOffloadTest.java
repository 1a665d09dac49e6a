package io.tunnelmesh.tun.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Segmentation of super-packets as the kernel hands them over, merging of segments as the kernel takes them, and
 * what happens to malformed ones; all on buffers, no kernel. Checksums are checked with {@link Packets}' own
 * routine, not the driver's.
 */
class TcpOffloadTest {
    private static final int MTU = 1420;
    private static final byte[] NO_OPTIONS = {};
    /** NOP, NOP, timestamps: what Linux puts on every segment of an established connection. */
    private static final byte[] TIMESTAMPS = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};

    @Test
    void ipv4SuperPacketBecomesSegmentsWithTheirOwnLengthsIdsSequenceFlagsAndChecksums() {
        // Sequence and id near their wrap, ECN's CWR and FIN|PSH on the super-packet.
        int flags = Packets.ACK | Packets.PSH | Packets.FIN | Packets.CWR;
        ByteBuffer superPacket = Packets.tcp(false, 0xfffe, 0xfffff000, flags, NO_OPTIONS, random(5000, 1));
        List<ByteBuffer> segments = segment(superPacket, VirtioNetHeader.GSO_TCPV4 | VirtioNetHeader.GSO_ECN, 1380, 20);
        assertSegments(superPacket, segments, 1380, 4);
        for (int i = 0; i < 4; i++) {
            assertEquals((0xfffe + i) & 0xffff, segments.get(i).getShort(4) & 0xffff, "IPv4 id");
            assertTrue(Packets.ipv4HeaderChecksumVerifies(segments.get(i)), "IPv4 header checksum of segment " + i);
        }
    }

    @Test
    void ipv6SuperPacketWithOptionsBecomesSegments() {
        ByteBuffer superPacket = Packets.tcp(true, 0, 7, Packets.ACK | Packets.PSH, TIMESTAMPS, random(4000, 2));
        assertSegments(superPacket, segment(superPacket, VirtioNetHeader.GSO_TCPV6, 1348, 40), 1348, 3);
    }

    /**
     * Each segment: its length in the IP header, the super-packet's headers (options included) but for its own
     * sequence number, FIN/PSH only on the last and CWR only on the first, a TCP checksum that verifies; and the
     * payloads together are the super-packet's.
     */
    private static void assertSegments(ByteBuffer superPacket, List<ByteBuffer> segments, int gsoSize, int count) {
        boolean ipv6 = Packets.version(superPacket) == 6;
        int ip = ipv6 ? 40 : 20;
        int headers = ip + (superPacket.get(ip + 12) >>> 4 & 0xf) * 4;
        int data = superPacket.remaining() - headers;
        int flags = superPacket.get(ip + 13) & 0xff;
        assertEquals(count, segments.size());
        for (int i = 0; i < count; i++) {
            ByteBuffer s = segments.get(i);
            int payload = Math.min(gsoSize, data - i * gsoSize);
            assertEquals(headers + payload, s.remaining());
            assertEquals(ipv6 ? headers + payload - 40 : headers + payload, s.getShort(ipv6 ? 4 : 2) & 0xffff,
                    "IP length");
            assertEquals(superPacket.getInt(ip + 4) + i * gsoSize, s.getInt(ip + 4), "sequence");
            int expected = flags & ~(Packets.FIN | Packets.PSH | Packets.CWR) | (i == 0 ? flags & Packets.CWR : 0)
                    | (i == count - 1 ? flags & (Packets.FIN | Packets.PSH) : 0);
            assertEquals(expected, s.get(ip + 13) & 0xff, "flags of segment " + i);
            assertArrayEquals(Arrays.copyOfRange(superPacket.array(), ip + 20, headers),
                    Arrays.copyOfRange(s.array(), ip + 20, headers), "TCP options");
            assertEquals(Packets.tcpChecksum(s), s.getShort(ip + 16), "TCP checksum of segment " + i);
        }
        assertArrayEquals(Arrays.copyOfRange(superPacket.array(), headers, superPacket.remaining()),
                payloads(segments, headers));
    }

    @Test
    void checksumAgreesWithA16BitLoopForEveryLengthOffsetAndByteOrder() {
        byte[] bytes = random(300, 9);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer heap = ByteBuffer.wrap(bytes).order(order);
            ByteBuffer direct = ByteBuffer.allocateDirect(300).put(bytes).clear().order(order);
            for (int offset = 0; offset < 8; offset++) {
                for (int length = 0; length <= 290; length++) {
                    short expected = Packets.checksum(ByteBuffer.wrap(bytes), offset, length);
                    assertEquals(expected, (short) InternetChecksum.finish(InternetChecksum.sum(heap, offset, length)));
                    assertEquals(expected,
                            (short) InternetChecksum.finish(InternetChecksum.sum(direct, offset, length)),
                            order + " " + offset + "+" + length);
                }
            }
        }
    }

    @Test
    void partialChecksumOfAPlainPacketIsCompleted() {
        ByteBuffer packet = Packets.tcp(false, 1, 1, Packets.ACK, NO_OPTIONS, random(333, 3));
        short full = packet.getShort(36);
        // What the kernel leaves with CHECKSUM_PARTIAL: only the pseudo-header sum in the field.
        int pseudo = InternetChecksum.pseudoHeaderSum(packet, 0, false, 6, packet.remaining() - 20);
        packet.putShort(36, (short) pseudo);
        OffloadReader reader = readerHolding(packet, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 20);
        assertTrue(reader.hasNext());
        ByteBuffer out = ByteBuffer.allocate(MTU);
        out.limit(reader.next(out, 0));
        assertEquals(full, out.getShort(36));
        assertFalse(reader.hasNext());
    }

    @Test
    void mergedSegmentsSegmentBackIntoTheOriginals() {
        for (boolean ipv6 : new boolean[] {false, true}) {
            byte[] options = ipv6 ? TIMESTAMPS : NO_OPTIONS;
            int gso = ipv6 ? 1348 : 1380;
            List<ByteBuffer> originals = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                boolean last = i == 4;
                originals.add(Packets.tcp(ipv6, 100 + i, 5000 + i * gso, Packets.ACK | (last ? Packets.PSH : 0),
                        options, random(last ? 700 : gso, 10 + i)));
            }
            OffloadWriter writer = new OffloadWriter();
            ByteBuffer[] batch = copies(originals);
            assertEquals(1, writer.plan(batch, 5), "one write");
            assertEquals(5, writer.prepareRun(batch, 0), "all five merge");
            VirtioNetHeader header = new VirtioNetHeader().decode(writer.buffer, 0);
            assertEquals(VirtioNetHeader.F_NEEDS_CSUM, header.flags);
            assertEquals(ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4, header.gsoType);
            assertEquals(gso, header.gsoSize);
            assertEquals((ipv6 ? 40 : 20) + 20 + options.length, header.hdrLen);
            assertEquals(ipv6 ? 40 : 20, header.csumStart);
            assertEquals(16, header.csumOffset);
            int mergedLength = writer.length - VirtioNetHeader.SIZE;
            assertEquals(4 * gso + 700 + header.hdrLen, mergedLength);

            OffloadReader reader = new OffloadReader(MTU);
            reader.buffer.put(0, writer.buffer, 0, writer.length);
            assertTrue(reader.accept(writer.length));
            List<ByteBuffer> again = drain(reader);
            assertEquals(5, again.size());
            for (int i = 0; i < 5; i++) {
                assertEquals(originals.get(i), again.get(i), (ipv6 ? "IPv6" : "IPv4") + " segment " + i);
            }
        }
    }

    @Test
    void runsEndWhereSegmentsStopBeingOneStream() {
        byte[] d = random(1380, 4);
        ByteBuffer a = Packets.tcp(false, 1, 0, Packets.ACK, NO_OPTIONS, d);
        ByteBuffer b = Packets.tcp(false, 2, 1380, Packets.ACK, NO_OPTIONS, d);
        assertRun(2, a, b);
        assertRun(1, a, Packets.tcp(false, 2, 1381, Packets.ACK, NO_OPTIONS, d)); // sequence gap
        assertRun(1, a, Packets.tcp(true, 2, 1380, Packets.ACK, NO_OPTIONS, d)); // other IP version
        assertRun(1, a, Packets.tcp(false, 2, 1380, Packets.ACK, TIMESTAMPS, random(1368, 4))); // other options
        assertRun(1, a, Packets.tcp(false, 2, 1380, Packets.ACK | Packets.FIN, NO_OPTIONS, d)); // FIN
        assertRun(1, Packets.tcp(false, 1, 0, Packets.ACK | Packets.PSH, NO_OPTIONS, d), b); // PSH ends a run
        assertRun(2, a, Packets.tcp(false, 2, 1380, Packets.ACK | Packets.PSH, NO_OPTIONS, d),
                Packets.tcp(false, 3, 2760, Packets.ACK, NO_OPTIONS, d));
        // A smaller segment ends the run; a bigger one never joins.
        assertRun(2, a, Packets.tcp(false, 2, 1380, Packets.ACK, NO_OPTIONS, random(500, 5)),
                Packets.tcp(false, 3, 1880, Packets.ACK, NO_OPTIONS, d));
        assertRun(1, Packets.tcp(false, 1, 0, Packets.ACK, NO_OPTIONS, random(500, 5)), b);
        ByteBuffer otherAck = Packets.tcp(false, 2, 1380, Packets.ACK, NO_OPTIONS, d);
        otherAck.putInt(28, 77).putShort(36, Packets.tcpChecksum(otherAck));
        assertRun(1, a, otherAck);
        ByteBuffer otherPort = Packets.tcp(false, 2, 1380, Packets.ACK, NO_OPTIONS, d);
        otherPort.putShort(22, (short) 5202).putShort(36, Packets.tcpChecksum(otherPort));
        assertRun(1, a, otherPort);
        ByteBuffer corrupt = Packets.tcp(false, 2, 1380, Packets.ACK, NO_OPTIONS, d);
        corrupt.put(100, (byte) (corrupt.get(100) + 1));
        assertRun(1, a, corrupt); // the kernel must see, and drop, the corrupt segment itself
        assertRun(1, a, Packets.ipv4Udp(TunRelay.A4, 1, TunRelay.B4, 2, d));
    }

    @Test
    void interleavedFlowsMergeEachWithoutReorderingAFlow() {
        byte[] d = random(1380, 11);
        ByteBuffer a1 = Packets.tcp(false, 1, 0, Packets.ACK, NO_OPTIONS, d);
        ByteBuffer a2 = Packets.tcp(false, 2, 1380, Packets.ACK, NO_OPTIONS, d);
        ByteBuffer a3 = Packets.tcp(false, 3, 2760, Packets.ACK, NO_OPTIONS, d);
        ByteBuffer b1 = otherFlow(Packets.tcp(false, 1, 9000, Packets.ACK, NO_OPTIONS, d));
        ByteBuffer b2 = otherFlow(Packets.tcp(false, 2, 10380, Packets.ACK, NO_OPTIONS, d));
        ByteBuffer udp = Packets.ipv4Udp(TunRelay.A4, 1, TunRelay.B4, 2, d);
        assertEquals(List.of(List.of(0, 2, 5), List.of(1, 3), List.of(4)), writes(a1, b1, a2, b2, udp, a3));
        // A flow's packet that cannot join its run ends that run: a3 must not be written before the pure ACK.
        ByteBuffer ack = Packets.tcp(false, 3, 2760, Packets.ACK, NO_OPTIONS, new byte[0]);
        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3)), writes(a1, a2, ack, a3));
        // A TCP packet the coalescer cannot read (IPv4 options here) might be of any flow: no run passes it.
        ByteBuffer withOptions = ByteBuffer.allocate(a3.remaining() + 4);
        withOptions.put((byte) 0x46).put(a3.duplicate().position(1).limit(20)).putInt(0x01010101)
                .put(a3.duplicate().position(20)).flip();
        withOptions.putShort(2, (short) withOptions.remaining());
        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3)), writes(a1, a2, withOptions, a3));
        assertEquals(List.of(List.of(0, 1, 3), List.of(2)), writes(a1, a2, udp, a3), "UDP passes");
        // A retransmission (sequence from the past) starts a run of its own; what follows it stays behind it.
        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3)), writes(a1, a2, a1, a3));
    }

    /** The same segment from another source port. */
    private static ByteBuffer otherFlow(ByteBuffer segment) {
        segment.putShort(20, (short) 40001).putShort(36, Packets.tcpChecksum(segment));
        return segment;
    }

    @Test
    void aRunStopsBelow64KiB() {
        ByteBuffer[] batch = new ByteBuffer[60];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = Packets.tcp(false, i, i * 1380, Packets.ACK, NO_OPTIONS, random(1380, 6));
        }
        OffloadWriter writer = new OffloadWriter();
        assertEquals(2, writer.plan(batch, batch.length));
        int first = writer.prepareRun(batch, 0);
        assertEquals((0xffff - 40) / 1380, first);
        assertTrue(writer.length - VirtioNetHeader.SIZE <= 0xffff);
        assertEquals(batch.length - first, writer.prepareRun(batch, 1));
    }

    @Test
    void malformedSuperPacketsAreDroppedAndCounted() {
        ByteBuffer good = Packets.tcp(false, 1, 1, Packets.ACK, NO_OPTIONS, random(3000, 7));
        OffloadReader reader = new OffloadReader(MTU);
        int expectedDrops = 0;
        // gso_size 0; segment bigger than the MTU; UDP GSO; type of the other IP version; csum_start lying about
        // the IPv4 header length; csum_offset not TCP's; hdr_len beyond the packet
        int[][] headers = {
            {1, VirtioNetHeader.GSO_TCPV4, 40, 0, 20, 16},
            {1, VirtioNetHeader.GSO_TCPV4, 40, 1500, 20, 16},
            {1, VirtioNetHeader.GSO_UDP_L4, 28, 1380, 20, 6},
            {1, VirtioNetHeader.GSO_TCPV6, 60, 1380, 40, 16},
            {1, VirtioNetHeader.GSO_TCPV4, 40, 1380, 24, 16},
            {1, VirtioNetHeader.GSO_TCPV4, 40, 1380, 20, 6},
            {1, VirtioNetHeader.GSO_TCPV4, 4000, 1380, 20, 16},
        };
        for (int[] h : headers) {
            assertFalse(accept(reader, good, h, good.remaining()), Arrays.toString(h));
            assertFalse(reader.hasNext());
            assertEquals(++expectedDrops, reader.dropped());
        }
        int[] tso = {1, VirtioNetHeader.GSO_TCPV4, 40, 1380, 20, 16};
        assertFalse(accept(reader, good, tso, 39), "truncated inside the TCP header");
        assertFalse(accept(reader, good, tso, 40), "headers only, no payload");
        ByteBuffer badOffset = ByteBuffer.allocate(good.remaining()).put(good.duplicate()).flip();
        badOffset.put(32, (byte) 0x40); // TCP data offset 4 words
        assertFalse(accept(reader, badOffset, tso, good.remaining()));
        badOffset.put(32, (byte) 0xf0); // 60 bytes of TCP header, then more than the packet
        assertFalse(accept(reader, badOffset, tso, 70));
        int[] partial = {1, VirtioNetHeader.GSO_NONE, 0, 0, 20, 16};
        assertFalse(accept(reader, good, partial, 37), "checksum field beyond the packet");
        assertFalse(reader.accept(5), "shorter than the virtio header");
        assertEquals(expectedDrops + 6, reader.dropped());
        assertTrue(accept(reader, good, tso, good.remaining()), "the good one still passes");
        assertEquals(3, drain(reader).size());
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(42);
        OffloadReader reader = new OffloadReader(MTU);
        OffloadWriter writer = new OffloadWriter();
        ByteBuffer out = ByteBuffer.allocate(MTU);
        ByteBuffer template = Packets.tcp(false, 1, 1, Packets.ACK, NO_OPTIONS, random(2000, 8));
        for (int round = 0; round < 20_000; round++) {
            int length = VirtioNetHeader.SIZE + random.nextInt(2200);
            // Half start from a real packet with a few bytes flipped, so the checks deeper in are reached.
            reader.buffer.put(VirtioNetHeader.SIZE, template, 0, Math.min(length - VirtioNetHeader.SIZE, 2040));
            for (int i = 0; i < (round % 2 == 0 ? 4 : length); i++) {
                reader.buffer.put(random.nextInt(length), (byte) random.nextInt());
            }
            reader.buffer.put(1, (byte) (random.nextBoolean() ? VirtioNetHeader.GSO_TCPV4 : random.nextInt()));
            if (reader.accept(length)) {
                for (int n = 0; reader.hasNext(); n++) {
                    assertTrue(reader.next(out, 0) <= MTU && n < 0xffff);
                }
            }
            ByteBuffer[] batch = {ByteBuffer.wrap(bytes(reader.buffer, VirtioNetHeader.SIZE, length - 10)),
                template.duplicate(), template.duplicate()};
            int runs = writer.plan(batch, 3);
            int packets = 0;
            for (int r = 0; r < runs; r++) {
                packets += writer.prepareRun(batch, r);
                assertTrue(writer.length <= writer.buffer.capacity());
            }
            assertEquals(3, packets);
        }
        assertTrue(reader.dropped() > 0);
    }

    // --- helpers ---

    /** Asserts how many packets the first write carries. */
    private static void assertRun(int expected, ByteBuffer... packets) {
        TcpCoalescer coalescer = new TcpCoalescer();
        coalescer.plan(copies(List.of(packets)), packets.length);
        assertEquals(expected, coalescer.size(0));
    }

    /** The batch as the writes will carry it: per write, the indices of its packets. */
    private static List<List<Integer>> writes(ByteBuffer... packets) {
        TcpCoalescer coalescer = new TcpCoalescer();
        int runs = coalescer.plan(copies(List.of(packets)), packets.length);
        List<List<Integer>> writes = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            List<Integer> members = new ArrayList<>();
            for (int i = coalescer.first(r); i >= 0; i = coalescer.next(i)) {
                members.add(i);
            }
            writes.add(members);
        }
        return writes;
    }

    private static List<ByteBuffer> segment(ByteBuffer superPacket, int gsoType, int gsoSize, int csumStart) {
        OffloadReader reader = readerHolding(superPacket, VirtioNetHeader.F_NEEDS_CSUM, gsoType, gsoSize, csumStart);
        assertTrue(reader.hasNext(), "accepted");
        List<ByteBuffer> segments = drain(reader);
        assertEquals(1, reader.superPackets());
        assertEquals(segments.size(), reader.segments());
        return segments;
    }

    private static OffloadReader readerHolding(ByteBuffer packet, int flags, int gsoType, int gsoSize,
            int csumStart) {
        OffloadReader reader = new OffloadReader(MTU);
        // hdr_len as the kernel may give it: the whole linear part, more than the headers.
        accept(reader, packet, new int[] {flags, gsoType, Math.min(packet.remaining(), 200), gsoSize, csumStart, 16},
                packet.remaining());
        return reader;
    }

    private static boolean accept(OffloadReader reader, ByteBuffer packet, int[] h, int length) {
        VirtioNetHeader header = new VirtioNetHeader();
        header.flags = h[0];
        header.gsoType = h[1];
        header.hdrLen = h[2];
        header.gsoSize = h[3];
        header.csumStart = h[4];
        header.csumOffset = h[5];
        header.encode(reader.buffer, 0);
        reader.buffer.put(VirtioNetHeader.SIZE, packet, 0, length);
        return reader.accept(VirtioNetHeader.SIZE + length);
    }

    private static List<ByteBuffer> drain(OffloadReader reader) {
        List<ByteBuffer> out = new ArrayList<>();
        while (reader.hasNext()) {
            ByteBuffer b = ByteBuffer.allocate(MTU);
            b.limit(reader.next(b, 0));
            out.add(b);
        }
        return out;
    }

    private static byte[] payloads(List<ByteBuffer> segments, int headers) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer s : segments) {
            all.write(s.array(), headers, s.remaining() - headers);
        }
        return all.toByteArray();
    }

    private static ByteBuffer[] copies(List<ByteBuffer> packets) {
        return packets.stream().map(p -> ByteBuffer.allocateDirect(p.remaining()).put(p.duplicate()).flip())
                .toArray(ByteBuffer[]::new);
    }

    private static byte[] bytes(ByteBuffer b, int offset, int length) {
        byte[] copy = new byte[length];
        b.get(offset, copy);
        return copy;
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
