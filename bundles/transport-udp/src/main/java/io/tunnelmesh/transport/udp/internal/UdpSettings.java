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
 * @param receiveOffload     UDP_GRO: the kernel hands over a run of one sender's equal-size datagrams (up to 64 KiB)
 *                           in one receive (epoll)
 */
record UdpSettings(int socketBufferBytes, int maxDatagramBytes, int receiveBatch, int sendQueueDatagrams,
        boolean segmentOffload, boolean receiveOffload) {
    static final UdpSettings DEFAULTS = new UdpSettings(8 << 20, 4096, 32, 16_384, true, true);
    /** What one UDP_GRO receive may bring: the largest UDP payload. */
    static final int GRO_SLOT_BYTES = 65_535;

    /** The slot size a socket starts with: with UDP_GRO one slot as large as a run (see ReceiveBatchAllocator). */
    int receiveSlotBytes() {
        return receiveOffload ? GRO_SLOT_BYTES : maxDatagramBytes;
    }

    /** The same settings with UDP_GRO off (when the kernel refuses it). */
    UdpSettings withoutReceiveOffload() {
        return new UdpSettings(socketBufferBytes, maxDatagramBytes, receiveBatch, sendQueueDatagrams, segmentOffload,
                false);
    }

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
