package io.tunnelmesh.node.internal;

import java.nio.ByteBuffer;

/**
 * Reads the few IPv4/IPv6 header fields the router needs straight from a packet buffer, with absolute
 * indices, so the hot path neither allocates nor moves buffer positions.
 */
final class IpPackets {
    static final int IPV4_HEADER = 20;
    static final int IPV6_HEADER = 40;

    private IpPackets() {
    }

    /**
     * Bytes of address (4 or 16) of the packet starting at {@code start} with {@code available} bytes, or 0
     * when it is too short for its header or neither IPv4 nor IPv6.
     */
    static int addressLength(ByteBuffer packet, int start, int available) {
        if (available < 1) {
            return 0;
        }
        int version = (packet.get(start) >>> 4) & 0xf;
        if (version == 4 && available >= IPV4_HEADER) {
            return 4;
        }
        if (version == 6 && available >= IPV6_HEADER) {
            return 16;
        }
        return 0;
    }

    static int sourceOffset(int start, int addressLength) {
        return start + (addressLength == 4 ? 12 : 8);
    }

    static int destinationOffset(int start, int addressLength) {
        return start + (addressLength == 4 ? 16 : 24);
    }

    /**
     * The packet's length as its header states it (IPv4 total length, IPv6 40 + payload length), or -1 when
     * that is shorter than the header or longer than {@code available}. Decrypted packets carry zero padding
     * after this length, which must not reach the TUN device.
     */
    static int declaredLength(ByteBuffer packet, int start, int addressLength, int available) {
        int length;
        if (addressLength == 4) {
            length = unsigned16(packet, start + 2);
            if (length < IPV4_HEADER) {
                return -1;
            }
        } else {
            length = IPV6_HEADER + unsigned16(packet, start + 4);
        }
        return length <= available ? length : -1;
    }

    /** Network byte order regardless of the buffer's own byte order setting. */
    private static int unsigned16(ByteBuffer packet, int index) {
        return (packet.get(index) & 0xff) << 8 | (packet.get(index + 1) & 0xff);
    }
}
