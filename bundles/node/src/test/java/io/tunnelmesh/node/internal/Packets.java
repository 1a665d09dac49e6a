package io.tunnelmesh.node.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Minimal IPv4/IPv6 packets for tests: a header with the given addresses and a payload. */
final class Packets {
    private Packets() {
    }

    /** An IP literal's address (no DNS lookup). */
    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] ipv4(String source, String destination, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length));
        b.putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(address(source).getAddress()).put(address(destination).getAddress());
        b.put(payload);
        return b.array();
    }

    static byte[] ipv6(String source, String destination, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        b.putInt(0x60000000).putShort((short) payload.length).put((byte) 17).put((byte) 64);
        b.put(address(source).getAddress()).put(address(destination).getAddress());
        b.put(payload);
        return b.array();
    }
}
