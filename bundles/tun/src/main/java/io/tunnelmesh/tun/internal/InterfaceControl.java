package io.tunnelmesh.tun.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;

/**
 * Sets an interface's MTU, queue length and up flag with the classic socket ioctls, as {@code ip link set} does
 * underneath, so the driver needs no external tool. The ioctls act on the network namespace of the socket, which
 * is the namespace of the thread that opens this control.
 */
final class InterfaceControl implements AutoCloseable {
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCSIFMTU = 0x8922;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final long SIOCSIFTXQLEN = 0x8943;
    private static final short IFF_UP = 0x1;

    private final int socket;
    private final String name;
    private final InterfaceRequest request;

    InterfaceControl(String name) throws IOException {
        this.name = name;
        this.request = new InterfaceRequest(name);
        this.socket = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (socket < 0) {
            throw new IOException("interface " + name + ": cannot open a control socket: "
                    + Errno.describe(Native.getLastError()));
        }
    }

    void setMtu(int mtu) throws IOException {
        request.intValue(mtu);
        call(SIOCSIFMTU, "set MTU " + mtu);
    }

    void setQueueLength(int length) throws IOException {
        request.intValue(length);
        call(SIOCSIFTXQLEN, "set txqueuelen " + length);
    }

    void bringUp() throws IOException {
        call(SIOCGIFFLAGS, "read flags");
        request.shortValue((short) (request.shortValue() | IFF_UP));
        call(SIOCSIFFLAGS, "bring it up");
    }

    int index() throws IOException {
        call(SIOCGIFINDEX, "look up its index");
        return request.intValue();
    }

    private void call(long ioctl, String what) throws IOException {
        if (LibC.ioctl(socket, new NativeLong(ioctl), request.memory) < 0) {
            int errno = Native.getLastError();
            String advice = Errno.isPermission(errno) ? ": run as root or grant CAP_NET_ADMIN" : "";
            throw new IOException("interface " + name + ": cannot " + what + ": " + Errno.describe(errno) + advice);
        }
    }

    @Override
    public void close() {
        LibC.close(socket);
    }
}
