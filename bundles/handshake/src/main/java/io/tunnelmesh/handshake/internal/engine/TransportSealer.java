package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.handshake.internal.wireguard.TransportHeader;
import java.nio.ByteBuffer;

/**
 * Writes one transport data message: header, then the packet sealed with WireGuard's padding rule (to 16,
 * never past the MTU). Stateless apart from the MTU, so any number of threads share one.
 */
final class TransportSealer {
    /** A keepalive: empty payload, not padded. */
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Header, at most 15 bytes of padding, tag. */
    static final int OVERHEAD = TransportHeader.LENGTH + 15 + 16;
    private final int mtu;

    TransportSealer(int mtu) {
        this.mtu = mtu;
    }

    int seal(Keypair kp, long counter, ByteBuffer ipPacket, ByteBuffer out) {
        int start = out.position();
        int packetPos = ipPacket.position();
        int length = ipPacket.remaining();
        int padding = length == 0 ? 0 : Buffers.padding(length, mtu);
        out.limit(out.capacity());
        TransportHeader.write(out, start, kp.remoteIndex(), counter);
        out.position(start + TransportHeader.LENGTH);
        int n = kp.sendKey().seal(counter, ipPacket, padding, out);
        ipPacket.position(packetPos);
        out.position(start).limit(start + TransportHeader.LENGTH + n);
        return TransportHeader.LENGTH + n;
    }
}
