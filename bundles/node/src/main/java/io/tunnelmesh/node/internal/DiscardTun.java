package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.tun.TunDevice;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** A TUN device that is not there, for {@link PathWarmup}: reads end at once, written packets are counted and dropped. */
final class DiscardTun implements TunDevice {
    private final int mtu;
    final AtomicLong written = new AtomicLong();

    DiscardTun(int mtu) {
        this.mtu = mtu;
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
