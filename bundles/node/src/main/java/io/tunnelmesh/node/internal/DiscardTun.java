package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.tun.TunDevice;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TUN device that is not there, for {@link PathWarmup}: reads end at once, written packets are counted and dropped.
 *
 * <p>It comes in three classes ({@link #variant}), one per warm-up node in turn: the node's packet code calls its
 * TUN device through the interface, and when the warm-up alone had filled that call's type profile with one class,
 * C2 compiled it for that class only and the first real packet, written to the real device, fell back to the
 * interpreter ({@code Ingress.writeDeliveries} "class check" deoptimization). With three classes seen the profile is
 * polymorphic and the call stays an ordinary interface call, whatever the real device's class.
 */
class DiscardTun implements TunDevice {
    private final int mtu;
    final AtomicLong written = new AtomicLong();

    private DiscardTun(int mtu) {
        this.mtu = mtu;
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
    public void write(ByteBuffer packet) {
        packet.position(packet.limit());
        written.incrementAndGet();
    }

    @Override
    public void close() {
    }
}
