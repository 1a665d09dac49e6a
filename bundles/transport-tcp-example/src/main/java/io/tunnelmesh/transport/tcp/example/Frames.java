package io.tunnelmesh.transport.tcp.example;

/** The wire format: each datagram as one frame, a 2-byte big-endian length and then that many bytes. */
final class Frames {
    static final int HEADER_BYTES = 2;
    /** The longest datagram a 2-byte length can announce. */
    static final int MAX_LENGTH = 0xffff;

    private Frames() {
    }
}
