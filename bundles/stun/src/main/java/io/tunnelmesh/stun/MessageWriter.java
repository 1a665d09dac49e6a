package io.tunnelmesh.stun;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Writes one message from the buffer's position: header, attributes, then SOFTWARE and FINGERPRINT last. */
final class MessageWriter {
    /** Sent in SOFTWARE; short, so a response stays small. */
    static final byte[] SOFTWARE = "TunnelMesh/J".getBytes(UTF_8);

    private final ByteBuffer out;
    private final int start;
    private final TransactionId id;

    MessageWriter(ByteBuffer out, int type, TransactionId id) {
        this.out = out;
        this.start = out.position();
        this.id = id;
        out.putShort((short) type).putShort((short) 0).putInt(Stun.MAGIC_COOKIE);
        id.write(out, start + 8);
        out.position(start + Stun.HEADER_LENGTH);
    }

    MessageWriter xorMappedAddress(InetSocketAddress mapped) {
        byte[] address = mapped.getAddress().getAddress();
        header(Attribute.XOR_MAPPED_ADDRESS, 4 + address.length);
        out.put((byte) 0).put((byte) (mapped.getAddress() instanceof Inet4Address ? 1 : 2))
                .putShort((short) (mapped.getPort() ^ (Stun.MAGIC_COOKIE >>> 16)));
        byte[] mask = xorMask(id);
        for (int i = 0; i < address.length; i++) {
            out.put((byte) (address[i] ^ mask[i]));
        }
        return this;
    }

    MessageWriter errorCode(int code, String reason) {
        byte[] text = reason.getBytes(UTF_8);
        header(Attribute.ERROR_CODE, 4 + text.length);
        out.putShort((short) 0).put((byte) (code / 100)).put((byte) (code % 100)).put(text);
        return pad();
    }

    MessageWriter unknownAttributes(Iterable<Integer> types) {
        int at = out.position();
        header(Attribute.UNKNOWN_ATTRIBUTES, 0);
        int count = 0;
        for (int type : types) {
            out.putShort((short) type);
            count++;
        }
        out.putShort(at + 2, (short) (2 * count));
        return pad();
    }

    /** Adds SOFTWARE and FINGERPRINT, sets the length; the position is left after the message. */
    void finish() {
        header(Attribute.SOFTWARE, SOFTWARE.length);
        out.put(SOFTWARE);
        pad();
        out.putShort(start + 2, (short) (out.position() + 8 - start - Stun.HEADER_LENGTH));
        int crc = AttributeReader.fingerprint(out, start, out.position());
        header(Attribute.FINGERPRINT, 4);
        out.putInt(crc);
    }

    private void header(int type, int length) {
        out.putShort((short) type).putShort((short) length);
    }

    private MessageWriter pad() {
        while (((out.position() - start) & 3) != 0) {
            out.put((byte) 0);
        }
        return this;
    }

    /** Magic cookie then transaction id: what XOR-MAPPED-ADDRESS hides an address with (RFC 8489 §14.2). */
    static byte[] xorMask(TransactionId id) {
        return ByteBuffer.allocate(16).putInt(Stun.MAGIC_COOKIE).putLong(id.high()).putInt(id.low()).array();
    }
}
