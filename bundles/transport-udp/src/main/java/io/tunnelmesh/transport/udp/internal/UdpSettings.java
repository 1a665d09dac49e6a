package io.tunnelmesh.transport.udp.internal;

/**
 * Tuning of one UDP binding.
 *
 * @param socketBufferBytes  SO_RCVBUF/SO_SNDBUF asked for; root gets it whole (SO_*BUFFORCE), others up to
 *                           net.core.rmem_max/wmem_max
 * @param maxDatagramBytes   the largest datagram received whole; each slot of a recvmmsg batch has this size, so
 *                           it must exceed the mesh MTU plus the 32-byte tunnel overhead
 * @param receiveBatch       datagrams taken per recvmmsg call
 * @param sendQueueDatagrams datagrams that may wait for the I/O thread; beyond that send() drops and counts
 * @param segmentOffload     join runs of equal-size datagrams for one peer into one UDP_SEGMENT send (epoll)
 */
record UdpSettings(int socketBufferBytes, int maxDatagramBytes, int receiveBatch, int sendQueueDatagrams,
        boolean segmentOffload) {
    static final UdpSettings DEFAULTS = new UdpSettings(8 << 20, 4096, 32, 16_384, true);

    UdpSettings {
        check("socket buffer size", socketBufferBytes, 65_536, 1 << 30);
        check("maximum datagram size", maxDatagramBytes, 1_280, 65_535);
        check("receive batch", receiveBatch, 1, 1_024);
        check("send queue length", sendQueueDatagrams, 16, 1 << 20);
    }

    private static void check(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("UDP transport " + what + " " + value + " is out of range: use "
                    + min + "-" + max);
        }
    }
}
