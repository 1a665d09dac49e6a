package io.tunnelmesh.tun.internal;

import java.nio.ByteBuffer;

/** Offsets and flag bits of the TCP header (RFC 9293 section 3.1) that segmentation and coalescing touch. */
final class TcpHeader {
    static final int MIN_LENGTH = 20;
    static final int SEQUENCE = 4;
    static final int ACKNOWLEDGEMENT = 8;
    static final int DATA_OFFSET = 12;
    static final int FLAGS = 13;
    static final int WINDOW = 14;
    static final int CHECKSUM = 16;
    static final int URGENT = 18;
    static final int FIN = 0x01;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int CWR = 0x80;

    private TcpHeader() {
    }

    /** The header length in bytes from the data-offset field of the header at {@code tcp}. */
    static int length(ByteBuffer packet, int tcp) {
        return (NetworkOrder.u8(packet, tcp + DATA_OFFSET) >>> 4) * 4;
    }
}
