package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A TUN without virtio header: one read(2) or write(2) per packet, each through a {@link PlainStaging} buffer
 * made once, so the packet path allocates nothing. The driver opens this one where the kernel refuses offload or
 * the operator switched it off.
 */
final class PlainTunDevice implements TunDevice {
    private final TunInterface tun;
    /** The reader's buffer. */
    private final PlainStaging readStaging = new PlainStaging();
    /** One buffer per writing thread: the transports write from several threads at once. */
    private final ThreadLocal<PlainStaging> writeStaging = ThreadLocal.withInitial(PlainStaging::new);

    PlainTunDevice(TunInterface tun) {
        this.tun = tun;
    }

    @Override
    public String name() {
        return tun.name;
    }

    @Override
    public int mtu() {
        return tun.mtu;
    }

    /**
     * The first read(2) may wait; then one more per packet while packets are ready. Synchronized: one reader at a
     * time owns {@link #readStaging}.
     */
    @Override
    public synchronized int read(ByteBuffer[] packets) throws IOException {
        tun.requireRoom(packets);
        int filled = 0;
        while (filled < packets.length) {
            ByteBuffer packet = packets[filled];
            long n = tun.read(readStaging.memory, Math.min(packet.capacity(), PlainStaging.CAPACITY), filled == 0);
            if (n < 0) {
                return n == TunInterface.CLOSED && filled == 0 ? -1 : filled;
            }
            packet.clear();
            readStaging.giveTo(packet, (int) n);
            packet.limit((int) n);
            filled++;
        }
        return filled;
    }

    @Override
    public int write(ByteBuffer[] packets, int count) throws IOException {
        PlainStaging staging = writeStaging.get();
        int refused = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer packet = packets[i];
            int length = packet.remaining();
            if (length > PlainStaging.CAPACITY) { // longer than any IP packet
                refused++;
                continue;
            }
            staging.take(packet, length);
            if (tun.write(staging.memory, length) != 0) {
                refused++;
            }
        }
        return refused;
    }

    @Override
    public void setAddresses(List<IpPrefix> addresses) throws IOException {
        tun.setAddresses(addresses);
    }

    @Override
    public void close() {
        tun.close();
    }

    @Override
    public String toString() {
        return tun.describe("");
    }
}
