package io.tunnelmesh.tun.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls that set the device up, bound by JNA direct mapping ({@link Native#register}): a direct-mapped
 * call costs far less than an interface-mapped one (no proxy, no argument boxing). errno of a failed call is
 * read with {@link Native#getLastError()}. The per-packet calls are in {@link PacketSyscalls}.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long write(int fd, Pointer buffer, long count);

    static native int ioctl(int fd, NativeLong request, Pointer argument);

    /** For ioctls whose argument is a value, not a pointer (TUNSETOFFLOAD). */
    static native int ioctl(int fd, NativeLong request, NativeLong argument);

    static native int eventfd(int initialValue, int flags);

    static native int socket(int domain, int type, int protocol);

    static native long send(int fd, Pointer buffer, long length, int flags);

    static native long recv(int fd, Pointer buffer, long length, int flags);

    static native int setns(int fd, int nsType);
}
