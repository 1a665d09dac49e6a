package io.tunnelmesh.tun.internal;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Builds and reads the IPv4/IPv6 UDP and TCP packets the TUN tests exchange with the kernel or the offload code.
 * Its checksum is a plain 16-bit loop, independent of the driver's InternetChecksum, so it can check it.
 */
final class Packets {
    static final int UDP = 17;
    static final int TCP = 6;
    static final int ACK = 0x10;
    static final int PSH = 0x08;
    static final int FIN = 0x01;
    static final int CWR = 0x80;
    private static final byte[] SOURCE4 = {10, 1, 0, 1};
    private static final byte[] DESTINATION4 = {10, 1, 0, 2};
    private static final byte[] SOURCE6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] DESTINATION6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

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

    /**
     * A TCP segment 10.1.0.1:40000 to 10.1.0.2:5201 (or fd00::1 to fd00::2) with ack 0x01020304, window 500,
     * the given options (a multiple of 4 bytes) and valid IPv4 header and TCP checksums.
     */
    static ByteBuffer tcp(boolean ipv6, int id, int sequence, int flags, byte[] options, byte[] payload) {
        int ip = ipv6 ? 40 : 20;
        int tcpLength = 20 + options.length + payload.length;
        ByteBuffer p = ByteBuffer.allocate(ip + tcpLength);
        if (ipv6) {
            p.putInt(0x60000000).putShort((short) tcpLength).put((byte) TCP).put((byte) 64);
            p.put(SOURCE6).put(DESTINATION6);
        } else {
            p.put((byte) 0x45).put((byte) 0).putShort((short) (ip + tcpLength));
            p.putShort((short) id).putShort((short) 0x4000).put((byte) 64).put((byte) TCP).putShort((short) 0);
            p.put(SOURCE4).put(DESTINATION4);
            p.putShort(10, checksum(p, 0, 20));
        }
        p.putShort((short) 40000).putShort((short) 5201).putInt(sequence).putInt(0x01020304);
        p.put((byte) ((5 + options.length / 4) << 4)).put((byte) flags).putShort((short) 500).putInt(0);
        p.put(options).put(payload).flip();
        p.putShort(ip + 16, tcpChecksum(p));
        return p;
    }

    /** The TCP checksum field value for {@code p} (IPv4 or IPv6 without extension headers), its field as 0. */
    static short tcpChecksum(ByteBuffer p) {
        boolean ipv6 = version(p) == 6;
        int ip = ipv6 ? 40 : 20;
        int tcpLength = p.limit() - ip;
        ByteBuffer copy = ByteBuffer.allocate(p.limit()).put(p.duplicate().position(0)).flip();
        copy.putShort(ip + 16, (short) 0);
        long pseudo = ipv6 ? sum(copy, 8, 32) : sum(copy, 12, 8);
        return fold(pseudo + TCP + tcpLength + sum(copy, ip, tcpLength));
    }

    /** Whether an IPv4 header's checksum field is right. */
    static boolean ipv4HeaderChecksumVerifies(ByteBuffer p) {
        return fold(sum(p, 0, (p.get(0) & 0x0f) * 4)) == 0;
    }

    /** The complemented RFC 1071 checksum of {@code length} bytes at {@code offset}, a 16-bit loop. */
    static short checksum(ByteBuffer p, int offset, int length) {
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
