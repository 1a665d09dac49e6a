package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.tun.TunConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What both TUN devices ({@link PlainTunDevice}, {@link OffloadTunDevice}) share: the configured interface, its
 * file descriptor with the read(2) and write(2) calls on it, its addresses, and a close that is safe while
 * readers and writers are inside. The devices decide what goes around each call (a virtio header or none).
 *
 * <p>Closing must wake a reader blocked in the kernel, and a plain close(2) of the fd does not (the blocked read
 * keeps its reference to the file). So the fd is non-blocking: a read that finds nothing waits in poll(2) on the
 * fd and on a {@link WakeSignal}, which close raises. Under load the read succeeds at once and no poll is made;
 * a batch read uses the same fd to take what else is ready without waiting. Each call counts itself in and out,
 * and close waits for the calls inside to leave before closing the fd, so its number can never be reused under a
 * thread still using it; the devices need not care.
 */
final class TunInterface implements AutoCloseable {
    /** What {@link #read} returns once the interface is closed. */
    static final int CLOSED = -1;
    /** What {@link #read} returns when nothing is ready and it was not to wait. */
    static final int WOULD_BLOCK = -2;
    /**
     * Used when the config leaves the queue length unset (0). The kernel default of 500 drops bursts when the
     * reader wakes late; 10000 did not drop in the same test (git log -- docs/PERFORMANCE.md).
     */
    static final int DEFAULT_TX_QUEUE_LENGTH = 10_000;
    private static final long LEAVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int EBADF = 9;
    private static final int EBADFD = 77;
    private static final int WRITE_ATTEMPTS = 8;

    final String name;
    final int mtu;
    /** One line saying whether offload is on, and why not (see {@link TunFile.Attached}). */
    final String offload;
    private final int fd;
    private final WakeSignal wake;
    private final InterfaceAddresses addresses;
    /** Two pollfd structs (int fd, short events, short revents): the TUN fd and the wake eventfd. */
    private final MemorySegment pollFds = Arena.ofAuto().allocate(16, 8);
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean closed;

    private TunInterface(TunFile.Attached file, String name, int mtu, WakeSignal wake, InterfaceAddresses addresses) {
        this.fd = file.fd();
        this.name = name;
        this.mtu = mtu;
        this.offload = file.offload();
        this.wake = wake;
        this.addresses = addresses;
        pollFds.set(ValueLayout.JAVA_INT, 0, fd);
        pollFds.set(ValueLayout.JAVA_SHORT, 4, LibC.POLLIN);
        pollFds.set(ValueLayout.JAVA_INT, 8, wake.fd);
        pollFds.set(ValueLayout.JAVA_SHORT, 12, LibC.POLLIN);
    }

    /**
     * Sets MTU, queue length and addresses of the interface {@code file} is attached to, and brings it up.
     *
     * @param name the kernel's name for the interface
     * @throws IOException after closing {@code file}, which removes the half-configured interface again
     */
    static TunInterface configure(TunFile.Attached file, String name, TunConfig config) throws IOException {
        WakeSignal wake = null;
        try (InterfaceControl control = new InterfaceControl(name)) {
            control.setMtu(config.mtu());
            control.setQueueLength(config.txQueueLength() > 0 ? config.txQueueLength() : DEFAULT_TX_QUEUE_LENGTH);
            control.bringUp();
            InterfaceAddresses addresses = new InterfaceAddresses(name, control.index());
            addresses.set(config.addresses());
            wake = new WakeSignal();
            return new TunInterface(file, name, config.mtu(), wake, addresses);
        } catch (IOException | RuntimeException e) {
            LibC.close(file.fd());
            if (wake != null) {
                wake.close();
            }
            throw e;
        }
    }

    /** Changes the addresses in place (rtnetlink); call from a thread in the interface's network namespace. */
    void setAddresses(List<IpPrefix> wanted) throws IOException {
        if (closed) {
            throw new IOException("interface " + name + " is closed");
        }
        addresses.set(wanted);
    }

    /** @return false once closed; else the caller must {@link #leave} */
    private boolean enter() {
        inside.incrementAndGet();
        if (closed) {
            inside.decrementAndGet();
            return false;
        }
        return true;
    }

    private void leave() {
        inside.decrementAndGet();
    }

    /** Every buffer of a batch read must take an MTU-sized packet. */
    void requireRoom(ByteBuffer[] packets) {
        for (ByteBuffer packet : packets) {
            if (packet.capacity() < mtu) {
                throw new IllegalArgumentException("TUN read buffer has " + packet.capacity()
                        + " bytes: give it at least the MTU (" + mtu + ")");
            }
        }
    }

    /**
     * One read(2) into the start of {@code memory}.
     *
     * @param wait whether to wait for a packet when none is ready
     * @return the bytes read, {@link #CLOSED}, or {@link #WOULD_BLOCK}
     */
    long read(MemorySegment memory, int length, boolean wait) throws IOException {
        if (!enter()) {
            return CLOSED;
        }
        try {
            return readInside(memory, length, wait);
        } finally {
            leave();
        }
    }

    private long readInside(MemorySegment memory, int length, boolean wait) throws IOException {
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

    /** @return false when the interface was closed while waiting */
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

    /**
     * One write(2) of the first {@code length} bytes of {@code memory}, tried again after EINTR (a bounded number
     * of times: an errno the JVM overwrote must not turn a lasting error into a loop).
     *
     * @return 0, or the errno of a packet the kernel refused
     * @throws IOException when the interface is closed or gone, so no other packet would be taken either
     */
    int write(MemorySegment memory, int length) throws IOException {
        if (!enter()) {
            throw new IOException("interface " + name + " is closed");
        }
        int errno;
        try {
            errno = writeInside(memory, length);
        } finally {
            leave();
        }
        if (errno == EBADF || errno == EBADFD) {
            throw new IOException("interface " + name + ": write failed: " + Errno.describe(errno));
        }
        return errno;
    }

    private int writeInside(MemorySegment memory, int length) {
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

    /** @param details what the device adds after its offload state, or "" */
    String describe(String details) {
        return "TUN " + name + " (MTU " + mtu + ", " + offload + details + ")";
    }
}
