package io.tunnelmesh.tun.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Builds and reads the IPv4/IPv6 UDP packets the TUN tests exchange with the kernel. */
final class Packets {
    static final int UDP = 17;

    private Packets() {
    }

    static int version(ByteBuffer packet) {
        return (packet.get(0) & 0xff) >>> 4;
    }

    /** The transport protocol: IPv4's protocol field or IPv6's next header. */
    static int protocol(ByteBuffer packet) {
        return version(packet) == 4 ? packet.get(9) & 0xff : packet.get(6) & 0xff;
    }

    static InetAddress destination(ByteBuffer packet) throws Exception {
        byte[] address = new byte[version(packet) == 4 ? 4 : 16];
        packet.get(version(packet) == 4 ? 16 : 24, address);
        return InetAddress.getByAddress(address);
    }

    static byte[] udpPayload(ByteBuffer packet) {
        int header = version(packet) == 4 ? (packet.get(0) & 0x0f) * 4 : 40;
        int length = (packet.getShort(header + 4) & 0xffff) - 8;
        byte[] payload = new byte[length];
        packet.get(header + 8, payload);
        return payload;
    }

    /** An IPv4 UDP packet with a valid header checksum and UDP checksum 0 (allowed for IPv4). */
    static ByteBuffer ipv4Udp(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
            byte[] payload) {
        ByteBuffer p = ByteBuffer.allocateDirect(28 + payload.length);
        p.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload.length));
        p.putShort((short) 0).putShort((short) 0x4000); // id, don't fragment
        p.put((byte) 64).put((byte) UDP).putShort((short) 0);
        p.put(source.getAddress()).put(destination.getAddress());
        p.putShort(10, checksum(p, 0, 20));
        p.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0);
        p.put(payload).flip();
        return p;
    }

    /** An IPv6 UDP packet; IPv6 requires the UDP checksum, computed over the pseudo-header. */
    static ByteBuffer ipv6Udp(InetAddress source, int sourcePort, InetAddress destination, int destinationPort,
            byte[] payload) {
        int udpLength = 8 + payload.length;
        ByteBuffer p = ByteBuffer.allocateDirect(40 + udpLength);
        p.putInt(0x60000000).putShort((short) udpLength).put((byte) UDP).put((byte) 64);
        p.put(source.getAddress()).put(destination.getAddress());
        p.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) udpLength)
                .putShort((short) 0).put(payload).flip();
        short checksum = fold(sum(p, 8, 32) + udpLength + UDP + sum(p, 40, udpLength));
        p.putShort(46, checksum == 0 ? (short) 0xffff : checksum);
        return p;
    }

    private static short checksum(ByteBuffer p, int offset, int length) {
        return fold(sum(p, offset, length));
    }

    /** The 16-bit one's-complement sum of RFC 1071, an odd last byte padded with zero. */
    private static long sum(ByteBuffer p, int offset, int length) {
        long sum = 0;
        for (int i = offset; i < offset + length - 1; i += 2) {
            sum += p.getShort(i) & 0xffff;
        }
        if ((length & 1) != 0) {
            sum += (p.get(offset + length - 1) & 0xff) << 8;
        }
        return sum;
    }

    private static short fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (short) ~sum;
    }
}
