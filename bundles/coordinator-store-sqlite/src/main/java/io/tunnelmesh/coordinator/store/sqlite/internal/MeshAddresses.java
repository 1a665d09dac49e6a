package io.tunnelmesh.coordinator.store.sqlite.internal;

import io.tunnelmesh.api.IpPrefix;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;

/**
 * Host numbers of a mesh: host n is the IPv4 CIDR's network + n and the ULA /64 prefix + n, so both addresses
 * of a node share one number. Usable hosts exclude the network and broadcast addresses, except in a /31
 * (both addresses, RFC 3021) and a /32 (the one address).
 */
final class MeshAddresses {
    private final IpPrefix ipv4;
    private final IpPrefix ipv6;
    private final long network;

    MeshAddresses(IpPrefix ipv4, IpPrefix ipv6) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        byte[] n = ipv4.networkBytes();
        this.network = ((n[0] & 0xffL) << 24) | ((n[1] & 0xffL) << 16) | ((n[2] & 0xffL) << 8) | (n[3] & 0xffL);
    }

    /** A random RFC 4193 prefix: fd + 40-bit random global ID + subnet ID 0, as a /64. */
    static IpPrefix randomUla(SecureRandom random) {
        byte[] raw = new byte[16];
        byte[] globalId = new byte[5];
        random.nextBytes(globalId);
        raw[0] = (byte) 0xfd;
        System.arraycopy(globalId, 0, raw, 1, 5);
        return IpPrefix.of(address(raw), 64);
    }

    private long size() {
        return 1L << (32 - ipv4.length());
    }

    long firstHost() {
        return size() > 2 ? 1 : 0;
    }

    long lastHost() {
        return size() > 2 ? size() - 2 : size() - 1;
    }

    InetAddress ipv4(long host) {
        long a = network + host;
        return address(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
    }

    InetAddress ipv6(long host) {
        byte[] raw = ipv6.networkBytes();
        for (int i = 0; i < 8; i++) {
            raw[15 - i] = (byte) (host >>> (8 * i));
        }
        return address(raw);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
