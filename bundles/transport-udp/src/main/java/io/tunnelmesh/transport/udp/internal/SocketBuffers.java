package io.tunnelmesh.transport.udp.internal;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;

/**
 * Large socket buffers absorb bursts while the event loop is busy. Plain SO_RCVBUF/SO_SNDBUF are capped by
 * net.core.rmem_max/wmem_max (about 208 KiB by default), so with epoll and CAP_NET_ADMIN the FORCE variants
 * are tried first; without the capability the capped size is what we get.
 */
final class SocketBuffers {
    private static final int SOL_SOCKET = 1;
    private static final IntegerUnixChannelOption SO_SNDBUFFORCE =
            new IntegerUnixChannelOption("SO_SNDBUFFORCE", SOL_SOCKET, 32);
    private static final IntegerUnixChannelOption SO_RCVBUFFORCE =
            new IntegerUnixChannelOption("SO_RCVBUFFORCE", SOL_SOCKET, 33);

    private SocketBuffers() {
    }

    static void apply(DatagramChannel channel, int bytes, boolean canForce) {
        set(channel, canForce, SO_RCVBUFFORCE, ChannelOption.SO_RCVBUF, bytes);
        set(channel, canForce, SO_SNDBUFFORCE, ChannelOption.SO_SNDBUF, bytes);
    }

    private static void set(DatagramChannel channel, boolean canForce, IntegerUnixChannelOption force,
            ChannelOption<Integer> plain, int bytes) {
        if (canForce) {
            try {
                if (channel.config().setOption(force, bytes)) {
                    return;
                }
            } catch (ChannelException notPermitted) {
                // no CAP_NET_ADMIN: fall through to the capped option
            }
        }
        channel.config().setOption(plain, bytes);
    }

    /** What the kernel granted, for the log (Linux reports twice the usable size). */
    static String describe(DatagramChannel channel) {
        return "SO_RCVBUF " + channel.config().getReceiveBufferSize() / 1024 + " KiB, SO_SNDBUF "
                + channel.config().getSendBufferSize() / 1024 + " KiB";
    }
}
