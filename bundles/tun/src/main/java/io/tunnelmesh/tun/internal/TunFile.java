package io.tunnelmesh.tun.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;

/**
 * Opens {@code /dev/net/tun} and attaches it to a TUN interface with {@code TUNSETIFF}: layer-3 packets
 * ({@code IFF_TUN}) without the 4-byte packet-information header ({@code IFF_NO_PI}), so what is read is exactly
 * one IP packet. The interface is created in the network namespace of the calling thread and vanishes when the
 * file is closed (it is not made persistent).
 */
final class TunFile {
    static final String DEVICE = "/dev/net/tun";
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;

    private TunFile() {
    }

    /** @return the open, non-blocking file descriptor; {@code request} then holds the kernel's interface name */
    static int attach(InterfaceRequest request) throws IOException {
        String name = request.name();
        // Non-blocking so a read returns EAGAIN instead of sleeping: the device then waits in poll() together
        // with its wake-up eventfd, which is what lets close() interrupt a reader (see LinuxTunDevice).
        int fd = LibC.open(DEVICE, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new IOException(switch (errno) {
                case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> DEVICE + " is missing: load the tun module"
                        + " (modprobe tun) or, in a container, pass the device (--device /dev/net/tun)";
                case Errno.EPERM, Errno.EACCES -> DEVICE + ": permission denied: run as root or grant CAP_NET_ADMIN";
                default -> DEVICE + ": cannot open: " + Errno.describe(errno);
            });
        }
        request.shortValue((short) (IFF_TUN | IFF_NO_PI));
        if (LibC.ioctl(fd, new NativeLong(TUNSETIFF), request.memory) < 0) {
            int errno = Native.getLastError();
            LibC.close(fd);
            throw new IOException(switch (errno) {
                case Errno.EPERM, Errno.EACCES -> "cannot create interface " + name
                        + ": permission denied: run as root or grant CAP_NET_ADMIN";
                case Errno.EBUSY -> "interface " + name + " is already in use by another program"
                        + " (another TunnelMesh or VPN?): choose another interface name or stop that program";
                case Errno.EINVAL -> "cannot create interface " + name + ": the name belongs to a device that is"
                        + " not a TUN, or is invalid: choose another interface name";
                default -> "cannot create interface " + name + ": " + Errno.describe(errno);
            });
        }
        return fd;
    }
}
