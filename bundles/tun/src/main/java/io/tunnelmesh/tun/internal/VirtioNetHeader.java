package io.tunnelmesh.tun.internal;

import java.nio.ByteBuffer;

/**
 * The 10-byte {@code struct virtio_net_hdr} that precedes every packet on a TUN opened with {@code IFF_VNET_HDR}:
 * it tells the reader that a packet is a TCP super-packet to be cut into {@code gsoSize}-byte segments, or that
 * its checksum is still to be completed, and tells the kernel the same about a packet written. The fields are in
 * the machine's byte order (little-endian on x86-64 and arm64, the only ones this driver runs on), while the
 * packet behind it is in network order, so the fields are assembled byte by byte whatever the buffer's order.
 *
 * <p>A mutable holder, reused per device, so decoding allocates nothing.
 */
final class VirtioNetHeader {
    static final int SIZE = 10;
    /** flags: the checksum at csumStart + csumOffset holds only the pseudo-header sum and must be completed. */
    static final int F_NEEDS_CSUM = 1;
    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_UDP = 3;
    static final int GSO_TCPV6 = 4;
    static final int GSO_UDP_L4 = 5;
    /** Or-ed into gsoType when the super-packet carries ECN's CWR on its first segment. */
    static final int GSO_ECN = 0x80;

    int flags;
    int gsoType;
    int hdrLen;
    int gsoSize;
    int csumStart;
    int csumOffset;

    /** Reads the header at {@code offset} (absolute, the buffer's position is untouched). */
    VirtioNetHeader decode(ByteBuffer buffer, int offset) {
        flags = buffer.get(offset) & 0xff;
        gsoType = buffer.get(offset + 1) & 0xff;
        hdrLen = u16(buffer, offset + 2);
        gsoSize = u16(buffer, offset + 4);
        csumStart = u16(buffer, offset + 6);
        csumOffset = u16(buffer, offset + 8);
        return this;
    }

    /** Writes the header at {@code offset} (absolute). */
    void encode(ByteBuffer buffer, int offset) {
        buffer.put(offset, (byte) flags);
        buffer.put(offset + 1, (byte) gsoType);
        put16(buffer, offset + 2, hdrLen);
        put16(buffer, offset + 4, gsoSize);
        put16(buffer, offset + 6, csumStart);
        put16(buffer, offset + 8, csumOffset);
    }

    /** The header of a packet that needs nothing from the kernel: all zero. */
    static void encodePlain(ByteBuffer buffer, int offset) {
        buffer.putLong(offset, 0);
        buffer.putShort(offset + 8, (short) 0);
    }

    /** The gso type without its ECN bit. */
    int baseGsoType() {
        return gsoType & ~GSO_ECN;
    }

    private static int u16(ByteBuffer buffer, int offset) {
        return (buffer.get(offset) & 0xff) | (buffer.get(offset + 1) & 0xff) << 8;
    }

    private static void put16(ByteBuffer buffer, int offset, int value) {
        buffer.put(offset, (byte) value);
        buffer.put(offset + 1, (byte) (value >>> 8));
    }

    @Override
    public String toString() {
        return "virtio_net_hdr(flags " + flags + ", gso " + gsoType + ", hdr_len " + hdrLen + ", gso_size " + gsoSize
                + ", csum " + csumStart + "+" + csumOffset + ")";
    }
}
