package io.tunnelmesh.handshake.internal.engine;

import java.nio.ByteBuffer;

/** The engine's output convention: bytes start at the position, which is left unchanged; limit = end. */
final class Buffers {
    private Buffers() {
    }

    static int put(ByteBuffer out, byte[] bytes) {
        int pos = out.position();
        out.limit(out.capacity());
        out.put(pos, bytes);
        out.limit(pos + bytes.length);
        return bytes.length;
    }

    static byte[] copy(ByteBuffer in) {
        byte[] b = new byte[in.remaining()];
        in.get(in.position(), b);
        return b;
    }

    /**
     * Length of the IP packet at {@code at} from its own header (IPv4 total length, IPv6 40 + payload length),
     * or -1 when it is not a plausible IP packet within {@code available} bytes.
     */
    /** Whether the plaintext at {@code at} starts like an IPv4 or IPv6 packet (version nibble 4 or 6). */
    static boolean ipVersion(ByteBuffer b, int at) {
        int version = (b.get(at) & 0xff) >>> 4;
        return version == 4 || version == 6;
    }

    static int innerIpLength(ByteBuffer b, int at, int available) {
        if (available < 1) {
            return -1;
        }
        int version = (b.get(at) & 0xff) >>> 4;
        int length;
        if (version == 4 && available >= 20) {
            length = (b.get(at + 2) & 0xff) << 8 | (b.get(at + 3) & 0xff);
            if (length < 20) {
                return -1;
            }
        } else if (version == 6 && available >= 40) {
            length = 40 + ((b.get(at + 4) & 0xff) << 8 | (b.get(at + 5) & 0xff));
        } else {
            return -1;
        }
        return length <= available ? length : -1;
    }

    /** WireGuard's padding: to a multiple of 16, never past the MTU (for oversize packets: of len % mtu). */
    static int padding(int length, int mtu) {
        int last = length > mtu ? length % mtu : length;
        int padded = (last + 15) & ~15;
        if (padded > mtu) {
            padded = mtu;
        }
        return padded - last;
    }
}
