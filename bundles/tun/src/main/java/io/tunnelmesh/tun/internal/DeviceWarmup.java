package io.tunnelmesh.tun.internal;

import com.sun.jna.Native;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;

/**
 * Runs the device's own system-call paths before the first real packet ({@link LinuxTunDevice}: poll, the batch
 * and single reads, the writes, and {@link PacketSyscalls}' downcalls), on a second {@link LinuxTunDevice}
 * over one end of an AF_UNIX SOCK_SEQPACKET socket pair. A seqpacket socket keeps packet boundaries as a TUN file
 * does, so the same code runs the same branches (a packet read, then "try again"), and nothing reaches the real
 * interface.
 *
 * <p>The node's warm-up cannot do this: it runs its path on in-memory devices. Without it these methods stayed
 * interpreted at idle rates, one packet per wake-up, for minutes (no compiled version of
 * {@code LinuxTunDevice.readBatch} 25 s after start). Each round is one idle ping's worth of device calls: the
 * "kernel" end sends a packet, the device waits for it, reads what is ready and writes it back, and the "kernel"
 * end takes it.
 */
final class DeviceWarmup implements AutoCloseable {
    static final int ROUNDS = 20_000;
    static final long BUDGET_NANOS = 2_000_000_000L;
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_NONBLOCK = 0x800;

    private final LinuxTunDevice device;
    private final int kernelEnd;
    private final ByteBuffer[] slots = new ByteBuffer[4];
    private final ByteBuffer packet;
    private final MemorySegment packetMemory;
    private final MemorySegment taken;
    /** Packets that came back out of the device whole (tests check it). */
    long echoed;

    /** @param virtioHeader as the real device: the reads and writes then carry (and merge behind) the same header */
    DeviceWarmup(int mtu, boolean virtioHeader) throws IOException {
        int[] pair = new int[2];
        if (LibC.socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0, pair) < 0) {
            throw new IOException("no socket pair for the TUN warm-up: " + Errno.describe(Native.getLastError()));
        }
        kernelEnd = pair[1];
        WakeSignal wake = null;
        try {
            wake = new WakeSignal();
            device = new LinuxTunDevice(new TunFile.Attached(pair[0], virtioHeader, "warm-up"), "warm-up", mtu, wake);
        } catch (IOException | RuntimeException e) {
            if (wake != null) {
                wake.close();
            }
            LibC.close(pair[0]);
            LibC.close(pair[1]);
            throw e;
        }
        for (int i = 0; i < slots.length; i++) {
            slots[i] = ByteBuffer.allocateDirect(mtu);
        }
        ByteBuffer ping = OffloadWarmup.ipv4(84, OffloadWarmup.ICMP); // an echo request's size
        packet = virtioHeader ? OffloadWarmup.plain(ping) : ByteBuffer.allocateDirect(84).put(0, ping, 0, 84);
        packetMemory = MemorySegment.ofBuffer(packet);
        taken = MemorySegment.ofBuffer(ByteBuffer.allocateDirect(VirtioNetHeader.SIZE + mtu));
    }

    /** @return rounds done, until {@link #ROUNDS}, the budget, {@code cancelled}, or a failed call */
    int run(BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int done = 0;
        try {
            while (done < ROUNDS && !cancelled.getAsBoolean() && System.nanoTime() - deadline < 0) {
                round(done);
                done++;
            }
        } catch (IOException e) {
            // a warm-up that cannot run only leaves the code colder; the real device reports its own failures
        }
        return done;
    }

    private void round(int i) throws IOException {
        if (PacketSyscalls.write(kernelEnd, packetMemory, packet.remaining()) < 0 || !device.awaitReadable()) {
            return;
        }
        int n = i % 8 == 7 ? device.read(slots) : device.readReady(slots);
        if (n <= 0) {
            return;
        }
        if (i % 16 == 15) {
            device.write(slots[0]);
        } else {
            device.write(slots, n);
        }
        long back = PacketSyscalls.read(kernelEnd, taken, (int) taken.byteSize());
        if (back == packet.remaining()) {
            echoed++;
        }
    }

    @Override
    public void close() {
        device.close();
        LibC.close(kernelEnd);
    }
}
