package io.tunnelmesh.handshake.internal.interop;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Minimal IPv4 ICMP echo packets with valid checksums. */
final class IcmpPackets {
    private IcmpPackets() {
    }

    static byte[] echo(int type, String source, String destination) throws UnknownHostException {
        byte[] p = new byte[84];
        p[0] = 0x45;
        p[3] = 84;
        p[8] = 64;
        p[9] = 1;
        System.arraycopy(InetAddress.getByName(source).getAddress(), 0, p, 12, 4);
        System.arraycopy(InetAddress.getByName(destination).getAddress(), 0, p, 16, 4);
        checksum(p, 0, 20, 10);
        p[20] = (byte) type;
        p[24] = 0x12;
        p[27] = 1;
        for (int i = 28; i < 84; i++) {
            p[i] = (byte) i;
        }
        checksum(p, 20, 64, 22);
        return p;
    }

    static boolean isIcmp(byte[] ip, int type) {
        return ip.length >= 28 && (ip[0] & 0xf0) == 0x40 && ip[9] == 1 && (ip[20] & 0xff) == type;
    }

    private static void checksum(byte[] p, int from, int length, int at) {
        long sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int c = (int) ~sum & 0xffff;
        p[at] = (byte) (c >>> 8);
        p[at + 1] = (byte) c;
    }
}
