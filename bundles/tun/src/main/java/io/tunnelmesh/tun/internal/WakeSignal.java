package io.tunnelmesh.tun.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;

/**
 * An eventfd that a closing device makes readable, and never drains: a reader polling it with the TUN file
 * descriptor wakes at once, and one that polls later sees it readable immediately, so no wake-up is lost however
 * close and read interleave.
 */
final class WakeSignal implements AutoCloseable {
    final int fd;

    WakeSignal() throws IOException {
        fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw new IOException("cannot create an eventfd for the TUN reader: " + Errno.describe(Native.getLastError()));
        }
    }

    void raise() {
        Memory one = new Memory(8);
        one.setLong(0, 1);
        LibC.write(fd, one, 8);
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
