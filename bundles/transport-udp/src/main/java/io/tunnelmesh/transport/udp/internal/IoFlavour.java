package io.tunnelmesh.transport.udp.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.Consumer;

/**
 * Native epoll when Netty can load it (recvmmsg/sendmmsg batches, forced socket buffers); otherwise the JDK's
 * NIO, one datagram per system call, with a warning saying why.
 */
enum IoFlavour {
    EPOLL {
        @Override
        IoHandlerFactory handlerFactory(SelectStrategyFactory strategy) {
            return EpollIoHandler.newFactory(0, strategy);
        }

        @Override
        DatagramChannel newChannel(SocketProtocolFamily family) {
            return new EpollDatagramChannel(family);
        }
    },
    NIO {
        @Override
        IoHandlerFactory handlerFactory(SelectStrategyFactory strategy) {
            return NioIoHandler.newFactory(SelectorProvider.provider(), strategy);
        }

        @Override
        DatagramChannel newChannel(SocketProtocolFamily family) {
            return new NioDatagramChannel(family);
        }
    };

    abstract IoHandlerFactory handlerFactory(SelectStrategyFactory strategy);

    abstract DatagramChannel newChannel(SocketProtocolFamily family);

    static IoFlavour select(Consumer<String> warn) {
        if (Epoll.isAvailable()) {
            return EPOLL;
        }
        Throwable cause = Epoll.unavailabilityCause();
        warn.accept("UDP transport: native epoll is unavailable (" + (cause == null ? "unknown reason" : cause.getMessage())
                + "); using Java NIO, one datagram per system call. Check that the netty-transport-native-epoll"
                + " linux-x86_64 fragment is installed and that io.netty.native.workdir allows executing files.");
        return NIO;
    }
}
