package io.tunnelmesh.tun.internal;

/** errno values the driver turns into advice; names follow Linux's asm-generic/errno-base.h. */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EAFNOSUPPORT = 97;
    static final int EADDRNOTAVAIL = 99;
    static final int ETIMEDOUT = 110;

    private Errno() {
    }

    /** A short description for messages; the number keeps unknown cases searchable. */
    static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "operation not permitted";
            case ENOENT -> "no such file or directory";
            case EINTR -> "interrupted";
            case ENXIO -> "no such device or address";
            case EAGAIN -> "try again";
            case EACCES -> "permission denied";
            case EBUSY -> "device or resource busy";
            case EEXIST -> "already exists";
            case ENODEV -> "no such device";
            case EINVAL -> "invalid argument";
            case EAFNOSUPPORT -> "address family not supported";
            case EADDRNOTAVAIL -> "address not available";
            case ETIMEDOUT -> "timed out";
            default -> "unexpected error";
        } + " (errno " + errno + ")";
    }

    static boolean isPermission(int errno) {
        return errno == EPERM || errno == EACCES;
    }
}
