package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.tun.TunDevice;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TUN device that is not there, for {@link PathWarmup}: written packets are counted and dropped, except that an
 * ICMP echo request (IPv4 or IPv6) is answered as the kernel answers it, during the write: the reply is ready for
 * {@link #readReady} at once, so the node's receive path takes it right after writing, as it does on a real device
 * (without answers that path was compiled as if no device ever had one ready). What that path leaves, a reader
 * thread takes after {@link #awaitReadable}, as on a real device.
 *
 * <p>It comes in three classes ({@link #variant}), one per warm-up node in turn: the node's packet code calls its
 * TUN device through the interface, and when the warm-up alone had filled that call's type profile with one class,
 * C2 compiled it for that class only and the first real packet, written to the real device, fell back to the
 * interpreter ({@code Ingress.writeDeliveries} "class check" deoptimization). With three classes seen the profile is
 * polymorphic and the call stays an ordinary interface call, whatever the real device's class.
 */
class DiscardTun implements TunDevice {
    /** Answers not yet read: as many as a batch of requests written at once may ask for. */
    private static final int ANSWERS = 8;
    private static final int ICMP = 1;
    private static final int ICMPV6 = 58;
    private final int mtu;
    final AtomicLong written = new AtomicLong();
    private final ByteBuffer[] answers = new ByteBuffer[ANSWERS];
    /** Guarded by this: the delivering thread writes, it or a reader thread reads. */
    private int pending;
    private boolean closed;

    private DiscardTun(int mtu) {
        this.mtu = mtu;
        for (int i = 0; i < ANSWERS; i++) {
            answers[i] = ByteBuffer.allocateDirect(mtu);
        }
    }

    /** @return a discarding device of one of three classes, by {@code n} modulo 3 */
    static DiscardTun variant(int n, int mtu) {
        return switch (Math.floorMod(n, 3)) {
            case 0 -> new DiscardTun(mtu);
            case 1 -> new DiscardTun(mtu) { };
            default -> new DiscardTun(mtu) { };
        };
    }

    @Override
    public String name() {
        return "warm-up";
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(ByteBuffer dst) {
        return -1;
    }

    @Override
    public boolean readsWithoutWaiting() {
        return true;
    }

    @Override
    public synchronized boolean awaitReadable() {
        while (pending == 0 && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !closed;
    }

    @Override
    public synchronized int readReady(ByteBuffer[] packets) {
        int n = Math.min(pending, packets.length);
        for (int i = 0; i < n; i++) {
            ByteBuffer answer = answers[i];
            packets[i].clear();
            packets[i].put(0, answer, 0, answer.limit()).limit(answer.limit());
        }
        pending = 0;
        return n;
    }

    @Override
    public void write(ByteBuffer packet) {
        synchronized (this) {
            if (pending < ANSWERS && answer(packet)) {
                notifyAll();
            }
        }
        packet.position(packet.limit());
        written.incrementAndGet();
    }

    /** Queues an echo reply to {@code packet} if it is an echo request: addresses swapped, type changed. */
    private boolean answer(ByteBuffer packet) {
        int at = packet.position();
        int length = packet.remaining();
        int addressLength = IpPackets.addressLength(packet, at, length);
        boolean v6 = addressLength == 16;
        int header = v6 ? IpPackets.IPV6_HEADER : IpPackets.IPV4_HEADER;
        boolean echoRequest = addressLength != 0 && length >= header + 8
                && (v6 || packet.get(at) == 0x45) // an IPv4 header without options
                && packet.get(at + (v6 ? 6 : 9)) == (v6 ? ICMPV6 : ICMP)
                && (packet.get(at + header) & 0xff) == (v6 ? 128 : 8);
        if (!echoRequest) {
            return false;
        }
        ByteBuffer reply = answers[pending++];
        reply.clear();
        reply.put(0, packet, at, length).limit(length);
        reply.put(IpPackets.sourceOffset(0, addressLength), packet, IpPackets.destinationOffset(at, addressLength),
                addressLength);
        reply.put(IpPackets.destinationOffset(0, addressLength), packet, IpPackets.sourceOffset(at, addressLength),
                addressLength);
        reply.put(header, (byte) (v6 ? 129 : 0));
        return true;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
