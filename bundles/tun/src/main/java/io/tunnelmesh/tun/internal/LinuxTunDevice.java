package io.tunnelmesh.tun.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.tunnelmesh.api.tun.TunDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * An open TUN interface. One read or write system call per packet, straight between the caller's buffer and the
 * kernel (JNA direct mapping, no copy, no allocation).
 *
 * <p>Closing must wake a reader blocked in the kernel, and a plain close(2) of the fd does not (the blocked read
 * keeps its reference to the file). So the fd is non-blocking: a read that finds nothing waits in poll(2) on the
 * fd and on a {@link WakeSignal}, which close raises. Under load the read succeeds at once and no poll is made.
 * Close then waits for readers and writers to leave the fd before closing it, so the fd number can never be
 * reused under a thread still using it.
 */
final class LinuxTunDevice implements TunDevice {
    private static final long LEAVE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final int fd;
    private final String name;
    private final int mtu;
    private final WakeSignal wake;
    /** Two pollfd structs (int fd, short events, short revents): the TUN fd and the wake eventfd. */
    private final Memory pollFds = new Memory(16);
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean closed;

    LinuxTunDevice(int fd, String name, int mtu, WakeSignal wake) {
        this.fd = fd;
        this.name = name;
        this.mtu = mtu;
        this.wake = wake;
        pollFds.setInt(0, fd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(8, wake.fd);
        pollFds.setShort(12, LibC.POLLIN);
        pollFds.setShort(14, (short) 0);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.remaining() < mtu) {
            throw new IllegalArgumentException("TUN read buffer has " + dst.remaining()
                    + " bytes free: give it at least the MTU (" + mtu + ")");
        }
        if (!enter()) {
            return -1;
        }
        try {
            while (true) {
                long n = LibC.read(fd, dst, dst.remaining());
                if (n >= 0) {
                    dst.position(dst.position() + (int) n);
                    return (int) n;
                }
                int errno = Native.getLastError();
                if (errno == Errno.EAGAIN) {
                    if (!awaitReadable()) {
                        return -1;
                    }
                } else if (errno != Errno.EINTR) {
                    if (closed) {
                        return -1;
                    }
                    throw new IOException("interface " + name + ": read failed: " + Errno.describe(errno));
                }
            }
        } finally {
            inside.decrementAndGet();
        }
    }

    /** @return false when the device was closed while waiting */
    private boolean awaitReadable() throws IOException {
        while (!closed) {
            int ready = LibC.poll(pollFds, 2, -1);
            if (ready < 0 && Native.getLastError() != Errno.EINTR) {
                throw new IOException("interface " + name + ": poll failed: " + Errno.describe(Native.getLastError()));
            }
            if (ready > 0) {
                return !closed;
            }
        }
        return false;
    }

    @Override
    public void write(ByteBuffer packet) throws IOException {
        if (!enter()) {
            throw new IOException("interface " + name + " is closed");
        }
        try {
            int length = packet.remaining();
            long n;
            do {
                n = LibC.write(fd, packet, length);
            } while (n < 0 && Native.getLastError() == Errno.EINTR);
            if (n < 0) {
                int errno = Native.getLastError();
                throw new IOException("interface " + name + ": the kernel refused a " + length + "-byte packet: "
                        + Errno.describe(errno) + (errno == Errno.EINVAL ? " (not a valid IPv4/IPv6 packet?)" : ""));
            }
            packet.position(packet.position() + (int) n);
        } finally {
            inside.decrementAndGet();
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

    @Override
    public String toString() {
        return "TUN " + name + " (MTU " + mtu + ")";
    }
}
