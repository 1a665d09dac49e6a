package io.tunnelmesh.transport.relay.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * An open relay transport: one link per known relay server, all on one I/O thread (so the node keeps one receive
 * working set for it). Links open at bind, because a node must be connected to be reached, and reopen on loss.
 * {@code send} appends the frame to the link's queue; {@code flush} hands the queue to the I/O thread in one task.
 */
final class RelayBinding implements TransportBinding {
    private final EventLoopGroup group;
    private final Map<InetSocketAddress, RelayConnection> links;
    /** The same links, for flush: iterating an array allocates nothing. */
    private final RelayConnection[] all;
    private final Consumer<RelayBinding> onClose;
    private final LongAdder dropped = new LongAdder();
    private volatile boolean closed;

    private RelayBinding(StaticKeyPair identity, RelaySettings settings, DatagramReceiver receiver, Consumer<String> warn,
            Consumer<String> info, Consumer<RelayBinding> onClose) {
        this.onClose = onClose;
        // native epoll where Netty loads it (as the UDP transport does): fewer copies and system calls per byte than NIO
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tm-relay-io", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                // the socket gets more only below half the queue size: a deep FIFO in front of a slow link makes the
                // tunnelled TCP lose whole bursts late (and time out) instead of slowing down early
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.queueBytes() / 2, settings.queueBytes()));
        Map<InetSocketAddress, RelayConnection> made = new HashMap<>();
        for (RelayServer server : settings.servers().values()) {
            made.put(server.address(), new RelayConnection(server, identity, bootstrap, group.next(), settings.queueBytes(),
                    this, receiver, warn, info));
        }
        this.links = Map.copyOf(made);
        this.all = made.values().toArray(new RelayConnection[0]);
    }

    static RelayBinding open(StaticKeyPair identity, RelaySettings settings, DatagramReceiver receiver,
            Consumer<String> warn, Consumer<String> info, Consumer<RelayBinding> onClose) {
        RelayBinding binding = new RelayBinding(identity, settings, receiver, warn, info, onClose);
        binding.links.values().forEach(RelayConnection::start);
        return binding;
    }

    @Override
    public String transportName() {
        return RelayTransport.NAME;
    }

    @Override
    public int listenPort() {
        return 0;
    }

    @Override
    public boolean send(ByteBuffer datagram, Endpoint destination) {
        RelayConnection link = destination instanceof RelayEndpoint e ? links.get(e.server().address()) : null;
        if (link == null || closed || !link.send(datagram, (RelayEndpoint) destination)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    @Override
    public void flush() {
        for (RelayConnection link : all) {
            link.flush();
        }
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        links.values().forEach(RelayConnection::close);
        boolean fromIoThread = group.next().inEventLoop(); // closed from inside received(): do not wait for ourselves
        var done = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (!fromIoThread) {
            done.awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return links.isEmpty() ? "no relay servers known (join a coordinator, or set servers in config/"
                + RelayTransport.PID + ".cfg)" : "relay servers " + String.join(", ",
                links.values().stream().map(l -> l.server().hostPort().toString()).toList());
    }
}
