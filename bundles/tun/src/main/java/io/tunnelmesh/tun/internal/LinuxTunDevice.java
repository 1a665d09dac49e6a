package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open TUN interface, in one of two modes fixed at open (see {@link TunFile}):
 * <ul>
 * <li>plain: one read or write system call per packet, through a per-thread {@link PlainStaging} buffer;
 * <li>offload: every system call carries a virtio header; a read may return a TCP super-packet of up to 64 KiB,
 * which {@link OffloadReader} cuts into segments (kept for the next call when the caller's array is full), and a
 * batch write merges runs of one TCP flow into one write ({@link OffloadWriter}, one per writing thread).
 * </ul>
 * Either way callers see plain IP packets, and the packet path allocates nothing: reused buffers, and the system
 * calls through {@link PacketSyscalls} on memory segments made once per buffer.
 *
 * <p>Closing must wake a reader blocked in the kernel, and a plain close(2) of the fd does not (the blocked read
 * keeps its reference to the file). So the fd is non-blocking: a read that finds nothing waits in poll(2) on the
 * fd and on a {@link WakeSignal}, which close raises. Under load the read succeeds at once and no poll is made;
 * the batch read uses the same non-blocking fd to take what else is ready without waiting. Close then waits for
 * readers and writers to leave the fd before closing it, so the fd number can never be reused under a thread
 * still using it.
 */
final class LinuxTunDevice implements TunDevice {
    private static final long LEAVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int CLOSED = -1;
    private static final int WOULD_BLOCK = -2;
    private static final int EBADF = 9;
    private static final int EBADFD = 77;
    private static final int WRITE_ATTEMPTS = 8;

    private final int fd;
    private final String name;
    private final int mtu;
    private final WakeSignal wake;
    private final String offload;
    /** Two pollfd structs (int fd, short events, short revents): the TUN fd and the wake eventfd. */
    private final MemorySegment pollFds = Arena.ofAuto().allocate(16, 8);
    private final AtomicInteger inside = new AtomicInteger();
    /** Offload mode only (else null): the read side, guarded by its own monitor, and one writer per thread. */
    private final OffloadReader reader;
    private final ThreadLocal<OffloadWriter> writers;
    /** Plain mode only (else null): each thread's staging buffer. */
    private final ThreadLocal<PlainStaging> staging;
    private final LongAdder mergedWrites = new LongAdder();
    private final LongAdder mergedPackets = new LongAdder();
    private final LongAdder mergedRefused = new LongAdder();
    private volatile boolean closed;
    private final InterfaceAddresses addresses;

    LinuxTunDevice(TunFile.Attached file, String name, int mtu, WakeSignal wake, InterfaceAddresses addresses) {
        this.addresses = addresses;
        this.fd = file.fd();
        this.name = name;
        this.mtu = mtu;
        this.wake = wake;
        this.offload = file.offload();
        this.reader = file.virtioHeader() ? new OffloadReader(mtu) : null;
        this.writers = file.virtioHeader() ? ThreadLocal.withInitial(OffloadWriter::new) : null;
        this.staging = file.virtioHeader() ? null : ThreadLocal.withInitial(PlainStaging::new);
        pollFds.set(ValueLayout.JAVA_INT, 0, fd);
        pollFds.set(ValueLayout.JAVA_SHORT, 4, LibC.POLLIN);
        pollFds.set(ValueLayout.JAVA_INT, 8, wake.fd);
        pollFds.set(ValueLayout.JAVA_SHORT, 12, LibC.POLLIN);
    }

    /** Changes the addresses in place (rtnetlink); call from a thread in the interface's network namespace. */
    @Override
    public void setAddresses(List<IpPrefix> wanted) throws IOException {
        if (closed) {
            throw new IOException("interface " + name + " is closed");
        }
        addresses.set(wanted);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    boolean offloading() {
        return reader != null;
    }

    /** Pending segments first, then one read that may wait, then as many as are ready without waiting. */
    @Override
    public int read(ByteBuffer[] packets) throws IOException {
        for (ByteBuffer packet : packets) {
            requireRoom(packet.capacity());
        }
        if (!enter()) {
            return -1;
        }
        try {
            if (reader == null) {
                return readPlain(packets);
            }
            synchronized (reader) {
                return readOffloaded(packets);
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    /** One read(2) per packet; only the first may wait. */
    private int readPlain(ByteBuffer[] packets) throws IOException {
        PlainStaging s = staging.get();
        int filled = 0;
        while (filled < packets.length) {
            ByteBuffer packet = packets[filled];
            packet.clear();
            long n = readOnce(s.memory, Math.min(packet.remaining(), PlainStaging.CAPACITY), filled == 0);
            if (n < 0) {
                return n == CLOSED && filled == 0 ? -1 : filled;
            }
            s.giveTo(packet, (int) n);
            packet.limit((int) n);
            filled++;
        }
        return filled;
    }

    /** Pending segments first, then as many reads as are ready; only the first read may wait. */
    private int readOffloaded(ByteBuffer[] packets) throws IOException {
        int filled = 0;
        while (filled < packets.length) {
            if (reader.hasNext()) {
                ByteBuffer packet = packets[filled++];
                packet.clear();
                packet.limit(reader.next(packet, 0));
                continue;
            }
            long n = readOnce(reader.memory, OffloadReader.BUFFER_SIZE, filled == 0);
            if (n < 0) {
                return n == CLOSED && filled == 0 ? -1 : filled;
            }
            reader.accept((int) n);
        }
        return filled;
    }

    /**
     * One read(2) into the start of {@code memory}.
     *
     * @return the bytes read, {@link #CLOSED}, or {@link #WOULD_BLOCK} when nothing is ready and {@code wait} is
     *         false
     */
    private long readOnce(MemorySegment memory, int length, boolean wait) throws IOException {
        while (true) {
            long n = PacketSyscalls.read(fd, memory, length);
            if (n >= 0) {
                return n;
            }
            int errno = (int) -n;
            if (errno == Errno.EINTR) {
                continue;
            }
            if (!PacketSyscalls.isTransient(errno)) {
                if (closed) {
                    return CLOSED;
                }
                throw new IOException("interface " + name + ": read failed: " + Errno.describe(errno));
            }
            // Nothing to read (EAGAIN, or an errno the JVM overwrote: then poll tells whether anything is wrong).
            if (!wait) {
                return WOULD_BLOCK;
            }
            if (!pollReadable()) {
                return CLOSED;
            }
        }
    }

    private void requireRoom(int bytes) {
        if (bytes < mtu) {
            throw new IllegalArgumentException("TUN read buffer has " + bytes
                    + " bytes free: give it at least the MTU (" + mtu + ")");
        }
    }

    /** @return false when the device was closed while waiting */
    private boolean pollReadable() throws IOException {
        while (!closed) {
            int ready = PacketSyscalls.poll(pollFds, 2, -1);
            if (ready < 0 && !PacketSyscalls.isTransient(-ready)) {
                throw new IOException("interface " + name + ": poll failed: " + Errno.describe(-ready));
            }
            if (ready > 0) {
                return !closed;
            }
        }
        return false;
    }

    @Override
    public int write(ByteBuffer[] packets, int count) throws IOException {
        enterToWrite();
        try {
            return writers == null ? writeEachPlain(packets, count) : writeOffloaded(writers.get(), packets, count);
        } finally {
            inside.decrementAndGet();
        }
    }

    private int writeEachPlain(ByteBuffer[] packets, int count) throws IOException {
        int refused = 0;
        for (int i = 0; i < count; i++) {
            int errno = writePlain(packets[i]);
            failIfDeviceGone(errno);
            if (errno != 0) {
                refused++;
            }
        }
        return refused;
    }

    private int writeOffloaded(OffloadWriter writer, ByteBuffer[] packets, int count) throws IOException {
        int refused = 0;
        int runs = writer.plan(packets, count);
        for (int run = 0; run < runs; run++) {
            int n = writer.prepareRun(packets, run);
            int errno = writer.length < 0 ? Errno.EINVAL : writeOnce(writer.memory, writer.length);
            failIfDeviceGone(errno);
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
            int errno = writer.length < 0 ? Errno.EINVAL : writeOnce(writer.memory, writer.length);
            failIfDeviceGone(errno);
            if (errno != 0) {
                refused++;
            }
        }
        return refused;
    }

    private void failIfDeviceGone(int errno) throws IOException {
        if (errno == EBADF || errno == EBADFD) {
            throw new IOException("interface " + name + ": write failed: " + Errno.describe(errno));
        }
    }

    /** One packet (position to limit) through this thread's staging buffer; @return 0 or the errno */
    private int writePlain(ByteBuffer packet) {
        int length = packet.remaining();
        if (length > PlainStaging.CAPACITY) {
            return Errno.EINVAL; // longer than any IP packet
        }
        PlainStaging s = staging.get();
        s.take(packet, length);
        return writeOnce(s.memory, length);
    }

    /**
     * One write(2) of the first {@code length} bytes of {@code memory}, tried again after EINTR (a bounded number
     * of times: an errno the JVM overwrote must not turn a lasting error into a loop).
     *
     * @return 0 or the errno
     */
    private int writeOnce(MemorySegment memory, int length) {
        int errno = 0;
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            long n = PacketSyscalls.write(fd, memory, length);
            if (n >= 0) {
                return 0;
            }
            errno = (int) -n;
            if (errno != Errno.EINTR) {
                return errno;
            }
        }
        return errno;
    }

    private void enterToWrite() throws IOException {
        if (!enter()) {
            throw new IOException("interface " + name + " is closed");
        }
    }

    private boolean enter() {
        inside.incrementAndGet();
        if (closed) {
            inside.decrementAndGet();
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        wake.raise();
        long deadline = System.nanoTime() + LEAVE_TIMEOUT_NANOS;
        while (inside.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        // Closing the last reference to a non-persistent TUN file removes the interface.
        LibC.close(fd);
        wake.close();
    }

    long superPacketsRead() {
        return reader == null ? 0 : reader.superPackets();
    }

    long segmentsRead() {
        return reader == null ? 0 : reader.segments();
    }

    long malformedDropped() {
        return reader == null ? 0 : reader.dropped();
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

    @Override
    public String toString() {
        String counts = reader == null ? "" : "; " + superPacketsRead() + " super-packets read as " + segmentsRead()
                + " segments, " + mergedWrites() + " merged writes of " + mergedPackets() + " packets, "
                + mergedRefused() + " merges refused, " + malformedDropped() + " malformed dropped";
        return "TUN " + name + " (MTU " + mtu + ", " + offload + counts + ")";
    }
}
