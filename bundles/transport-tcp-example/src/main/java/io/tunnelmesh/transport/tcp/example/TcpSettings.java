package io.tunnelmesh.transport.tcp.example;

/**
 * The limits of one binding; {@link TcpTransportConfig} documents them.
 *
 * @param maxDatagramBytes the largest datagram, at most 65535 (what the 2-byte length can say)
 * @param sendBufferBytes  the frames one connection may have waiting, at least one frame of the largest datagram
 * @param maxConnections   connections open at once
 */
record TcpSettings(int maxDatagramBytes, int sendBufferBytes, int maxConnections) {
    static final TcpSettings DEFAULTS = new TcpSettings(4096, 65536, 64);

    TcpSettings {
        check("max.datagram.bytes", maxDatagramBytes, 1280, Frames.MAX_LENGTH);
        check("send.buffer.bytes", sendBufferBytes, Frames.HEADER_BYTES + maxDatagramBytes, 64 << 20);
        check("max.connections", maxConnections, 1, 4096);
    }

    static TcpSettings of(TcpTransportConfig config) {
        return new TcpSettings(config.max_datagram_bytes(), config.send_buffer_bytes(), config.max_connections());
    }

    private static void check(String property, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("TCP transport " + property + "=" + value + " is out of range: use "
                    + min + "-" + max);
        }
    }
}
