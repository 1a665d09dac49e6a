package io.tunnelmesh.tun.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;

/**
 * Opens {@code /dev/net/tun} and attaches it to a TUN interface with {@code TUNSETIFF}: layer-3 packets
 * ({@code IFF_TUN}) without the 4-byte packet-information header ({@code IFF_NO_PI}). The interface is created in
 * the network namespace of the calling thread and vanishes when the file is closed (it is not made persistent).
 *
 * <p>With offload asked for, the file also gets a virtio header per packet ({@code IFF_VNET_HDR}) and the
 * interface claims checksum and TCP segmentation offload ({@code TUNSETOFFLOAD}), so the kernel hands over TCP
 * super-packets of up to 64 KiB and takes merged ones: one system call then moves dozens of packets. A kernel
 * that refuses either step gets a plain TUN instead (one IP packet per read, nothing in front), and the reason
 * is kept for the operator; offload is never a reason for open to fail.
 */
final class TunFile {
    static final String DEVICE = "/dev/net/tun";
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    /** What the driver asks for: checksum and TCP segmentation offload; UDP segmentation stays off. */
    static final int TCP_OFFLOADS = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;

    /**
     * An attached TUN file.
     *
     * @param virtioHeader whether every read and write carries a {@link VirtioNetHeader}
     * @param offload one line saying whether offload is on, and why not
     */
    record Attached(int fd, boolean virtioHeader, String offload) {
    }

    private TunFile() {
    }

    /**
     * @param offloads the TUN_F_* flags to ask for, 0 for a plain TUN
     * @return the open, non-blocking file; {@code request} then holds the kernel's interface name
     */
    static Attached attach(InterfaceRequest request, int offloads) throws IOException {
        if (offloads == 0) {
            return new Attached(attachAs(request, IFF_TUN | IFF_NO_PI), false, "offload off (offload=false in io.tunnelmesh.tun)");
        }
        String name = request.name();
        String reason;
        try {
            int fd = attachAs(request, IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
            if (LibC.ioctl(fd, new NativeLong(TUNSETOFFLOAD), new NativeLong(offloads)) == 0) {
                return new Attached(fd, true, "TCP segmentation and checksum offload on");
            }
            reason = "offload off: the kernel refused TUNSETOFFLOAD: " + Errno.describe(Native.getLastError());
            // A plain TUN needs a new file: a file's flags cannot change once attached. Closing this one removes
            // the interface it created, so the name is free again.
            LibC.close(fd);
        } catch (IOException e) {
            // If the virtio header was the problem the plain attach works; if not, it fails with the same reason.
            reason = "offload off: the kernel refused IFF_VNET_HDR: " + e.getMessage();
        }
        request.setName(name);
        return new Attached(attachAs(request, IFF_TUN | IFF_NO_PI), false, reason);
    }

    private static int attachAs(InterfaceRequest request, int flags) throws IOException {
        String name = request.name();
        // Non-blocking so a read returns EAGAIN instead of sleeping: the device then waits in poll() together
        // with its wake-up eventfd, which is what lets close() interrupt a reader (see TunInterface).
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
        request.shortValue((short) flags);
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
