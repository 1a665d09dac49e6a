package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One packet at a time through a device's batch methods, for tests that look at single packets. */
final class OnePacket {
    private OnePacket() {
    }

    /**
     * Blocks until a packet arrives and reads it into {@code packet}, flipped (position 0, limit its length).
     *
     * @return its length, or -1 once the device is closed
     */
    static int read(TunDevice device, ByteBuffer packet) throws IOException {
        return device.read(new ByteBuffer[] {packet}) < 0 ? -1 : packet.remaining();
    }

    /** Writes {@code packet} (position to limit); a packet the kernel refuses is an IOException, as is a closed device. */
    static void write(TunDevice device, ByteBuffer packet) throws IOException {
        if (device.write(new ByteBuffer[] {packet}, 1) != 0) {
            throw new IOException("interface " + device.name() + ": the kernel refused the packet");
        }
    }
}
