package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A TUN with a virtio header on every read and write (IFF_VNET_HDR) that claims TCP segmentation and checksum
 * offload, so one system call moves up to 64 KiB: a read may return a TCP super-packet, which
 * {@link OffloadReader} cuts into MTU-sized segments (kept for the next call when the caller's array is full),
 * and a write merges each run of one TCP flow's consecutive segments into one super-packet
 * ({@link OffloadWriter}, one per writing thread). Callers see plain IP packets either way.
 */
final class OffloadTunDevice implements TunDevice {
    private final TunInterface tun;
    /** The read side: the buffer one read(2) fills, and the segments left of it. */
    private final OffloadReader reader;
    /** One per writing thread: the transports write from several threads at once. */
    private final ThreadLocal<OffloadWriter> writers = ThreadLocal.withInitial(OffloadWriter::new);
    private final LongAdder mergedWrites = new LongAdder();
    private final LongAdder mergedPackets = new LongAdder();
    private final LongAdder mergedRefused = new LongAdder();

    OffloadTunDevice(TunInterface tun) {
        this.tun = tun;
        this.reader = new OffloadReader(tun.mtu);
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
     * Segments left from the last call first; then a read(2) that may wait, and more while packets are ready.
     * Synchronized: one reader at a time owns {@link #reader}.
     */
    @Override
    public synchronized int read(ByteBuffer[] packets) throws IOException {
        tun.requireRoom(packets);
        int filled = 0;
        while (filled < packets.length) {
            if (reader.hasNext()) {
                ByteBuffer packet = packets[filled++];
                packet.clear();
                packet.limit(reader.next(packet, 0));
                continue;
            }
            long n = tun.read(reader.memory, OffloadReader.BUFFER_SIZE, filled == 0);
            if (n < 0) {
                return n == TunInterface.CLOSED && filled == 0 ? -1 : filled;
            }
            reader.accept((int) n);
        }
        return filled;
    }

    @Override
    public int write(ByteBuffer[] packets, int count) throws IOException {
        OffloadWriter writer = writers.get();
        int refused = 0;
        int runs = writer.plan(packets, count);
        for (int run = 0; run < runs; run++) {
            int n = writer.prepareRun(packets, run);
            int errno = writePrepared(writer);
            if (errno == 0 && n > 1) {
                mergedWrites.increment();
                mergedPackets.add(n);
            } else if (n > 1) {
                // Never lose a run to a merge the kernel would not take: its packets go again one by one.
                mergedRefused.increment();
                refused += writeEach(writer, packets, run);
            } else if (errno != 0) {
                refused++;
            }
        }
        return refused;
    }

    /** @return how many packets of {@code run} the kernel refused, each written alone */
    private int writeEach(OffloadWriter writer, ByteBuffer[] packets, int run) throws IOException {
        int refused = 0;
        for (int i = writer.coalescer.first(run); i >= 0; i = writer.coalescer.next(i)) {
            writer.prepareSingle(packets[i]);
            if (writePrepared(writer) != 0) {
                refused++;
            }
        }
        return refused;
    }

    /** @return 0 or the errno */
    private int writePrepared(OffloadWriter writer) throws IOException {
        return writer.length < 0 ? Errno.EINVAL : tun.write(writer.memory, writer.length);
    }

    @Override
    public void setAddresses(List<IpPrefix> addresses) throws IOException {
        tun.setAddresses(addresses);
    }

    @Override
    public void close() {
        tun.close();
    }

    long superPacketsRead() {
        return reader.superPackets();
    }

    long segmentsRead() {
        return reader.segments();
    }

    long malformedDropped() {
        return reader.dropped();
    }

    long mergedWrites() {
        return mergedWrites.sum();
    }

    long mergedPackets() {
        return mergedPackets.sum();
    }

    long mergedRefused() {
        return mergedRefused.sum();
    }

    /** What the operator sees when the node opens the interface, and how offload has fared since. */
    @Override
    public String toString() {
        return tun.describe("; " + superPacketsRead() + " super-packets read as " + segmentsRead() + " segments, "
                + mergedWrites() + " merged writes of " + mergedPackets() + " packets, " + mergedRefused()
                + " merges refused, " + malformedDropped() + " malformed dropped");
    }
}
