package io.tunnelmesh.coordinator.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelmesh.api.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The TCP side: one listening socket, and per connection the pipeline gate → preamble → frames →
 * {@link ControlConnection}. Native epoll (else NIO) on all cores; the handshake's few DH operations run on the event loop,
 * store calls never do.
 */
final class ControlServer implements AutoCloseable {
    /** Native epoll where Netty loads it: fewer copies and system calls per relayed byte than the JDK's NIO. */
    private static final boolean EPOLL = Epoll.isAvailable();

    private final ControlContext parts;
    private final EventLoopGroup group;
    private Channel listener;

    ControlServer(ControlContext parts) {
        this.parts = parts;
        this.group = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("tm-coordinator-io", true),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** @throws IOException one line naming the address when it cannot be bound */
    InetSocketAddress bind(InetSocketAddress address) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // small marks: queued messages wait unsealed in the connection's outbox, not in Netty's buffer
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(parts.gate(), new PreambleCheck(parts.problems(), parts.relay()),
                                new FrameDecoder(parts.problems()), new ControlConnection(parts));
                    }
                });
        try {
            listener = bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + HostPort.format(address.getAddress(), address.getPort()));
        } catch (Exception e) {
            throw new IOException("cannot listen on " + HostPort.format(address.getAddress(), address.getPort()) + ": "
                    + e.getMessage() + " (another coordinator running? choose another --listen)");
        }
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
