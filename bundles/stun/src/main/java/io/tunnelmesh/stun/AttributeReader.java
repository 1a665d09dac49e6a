package io.tunnelmesh.stun;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Steps through the attributes of a message that passed {@link Stun#isStun}. Never reads past the message:
 * {@link #next} returns false at the end and {@link #malformed} says whether the end was a bad one (an attribute
 * running past the message, or a FINGERPRINT that is not last, not 4 bytes or does not match).
 */
final class AttributeReader {
    private final ByteBuffer message;
    private final int start;
    private final int end;
    private int next;
    private boolean malformed;
    int type;
    int valueOffset;
    int valueLength;

    AttributeReader(ByteBuffer message) {
        this.message = message;
        this.start = message.position();
        this.end = message.limit();
        this.next = start + Stun.HEADER_LENGTH;
    }

    boolean next() {
        if (malformed || next == end) {
            return false;
        }
        if (end - next < 4) {
            return fail();
        }
        type = message.getShort(next) & 0xFFFF;
        valueLength = message.getShort(next + 2) & 0xFFFF;
        valueOffset = next + 4;
        int padded = (valueLength + 3) & ~3;
        if (padded > end - valueOffset) {
            return fail();
        }
        next = valueOffset + padded;
        if (type == Attribute.FINGERPRINT
                && (valueLength != 4 || next != end || message.getInt(valueOffset) != fingerprint(message, start, next - 8))) {
            return fail();
        }
        return true;
    }

    boolean malformed() {
        return malformed;
    }

    private boolean fail() {
        malformed = true;
        return false;
    }

    /** CRC-32 of the message up to the FINGERPRINT attribute, XOR 0x5354554E (RFC 8489 §14.7). */
    static int fingerprint(ByteBuffer message, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(message.duplicate().limit(to).position(from));
        return (int) crc.getValue() ^ 0x5354554E;
    }
}
