package io.tunnelmesh.transport.udp.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One UDP socket for all peers, served by one event-loop thread of its own. It is an IPv6 socket with
 * IPV6_V6ONLY off, so IPv4 peers arrive as (and are sent to through) v4-mapped addresses on the same port; on a
 * host without IPv6 it is a plain IPv4 socket. Netty reports IPv4 senders as IPv4 addresses either way.
 */
final class UdpBinding implements TransportBinding {
    private static final int IPPROTO_IPV6 = 41;
    private static final IntegerUnixChannelOption IPV6_V6ONLY =
            new IntegerUnixChannelOption("IPV6_V6ONLY", IPPROTO_IPV6, 26);

    /**
     * Netty's default allocator takes a JVM with at most 512 MiB of heap (the node's) for one short of memory and then
     * pools nothing larger than 16 KiB: every receive buffer and every UDP_SEGMENT send's joined buffer was a new
     * DirectByteBuffer (malloc, page faults, free; 9 % of the sending event loop). This one pools them in 1 MiB
     * chunks (8 KiB pages, order 7), one arena, with per-thread caches for the node's threads too. A chunk that
     * empties after being a quarter full is freed, so with smaller chunks (128 KiB) two 64 KiB buffers in flight
     * made the pool allocate and free a chunk all the time (9 % of the TUN reader thread).
     */
    private final ByteBufAllocator allocator = new PooledByteBufAllocator(true, 0, 1, 8192, 7, 256, 64, true);
    private final EventLoopGroup group;
    private final DatagramChannel channel;
    private final DatagramBatcher batcher;
    private final TransportCounters counters = new TransportCounters();
    private final InetSocketAddress localAddress;
    private final IoFlavour flavour;
    private final StunClient stun;
    /** Null on the NIO fallback, which has no socket filters. */
    private final InitiationFilter initiationFilter;

    private UdpBinding(int port, DatagramReceiver receiver, UdpSettings settings, IoFlavour flavour,
            Consumer<String> warn) throws IOException {
        this.flavour = flavour;
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tm-udp-" + port, true),
                flavour.handlerFactory());
        try {
            DatagramChannel bound;
            try {
                bound = bind(SocketProtocolFamily.INET6, InetAddress.getByName("::"), port, settings);
            } catch (IPv6Unavailable e) {
                bound = bind(SocketProtocolFamily.INET, InetAddress.getByName("0.0.0.0"), port, settings);
            }
            channel = bound;
            localAddress = channel.localAddress();
            batcher = new DatagramBatcher(channel, localAddress.getAddress() instanceof Inet6Address,
                    settings.sendQueueDatagrams(), counters,
                    settings.segmentOffload() && flavour == IoFlavour.EPOLL
                            && EpollDatagramChannel.isSegmentedDatagramPacketSupported(), warn);
            stun = new StunClient(this, channel.eventLoop());
            initiationFilter = flavour == IoFlavour.EPOLL ? new InitiationFilter(channel) : null;
            channel.pipeline().addLast(new ReceiveHandler(receiver, this, stun, counters, warn));
            channel.config().setAutoRead(true);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    static UdpBinding open(int port, DatagramReceiver receiver, UdpSettings settings, Consumer<String> warn)
            throws IOException {
        return new UdpBinding(port, receiver, settings, IoFlavour.select(warn), warn);
    }

    /** With a given I/O flavour, so the NIO fallback can be tested on a host that has epoll. */
    static UdpBinding open(int port, DatagramReceiver receiver, UdpSettings settings, IoFlavour flavour,
            Consumer<String> warn) throws IOException {
        return new UdpBinding(port, receiver, settings, flavour, warn);
    }

    private DatagramChannel bind(SocketProtocolFamily family, InetAddress any, int port, UdpSettings settings)
            throws IOException {
        DatagramChannel candidate;
        try {
            candidate = flavour.newChannel(family);
        } catch (RuntimeException e) {
            if (family == SocketProtocolFamily.INET6) {
                throw new IPv6Unavailable();
            }
            throw new IOException("cannot create a UDP socket: " + e.getMessage(), e);
        }
        configure(candidate, family, settings);
        ChannelFuture registered = group.register(candidate).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            candidate.unsafe().closeForcibly();
            throw new IOException("cannot register the UDP socket: " + registered.cause().getMessage());
        }
        ChannelFuture bound = candidate.bind(new InetSocketAddress(any, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            candidate.close().awaitUninterruptibly();
            String message = String.valueOf(bound.cause().getMessage()).toLowerCase(Locale.ROOT);
            if (family == SocketProtocolFamily.INET6 && message.contains("address family not supported")) {
                throw new IPv6Unavailable();
            }
            throw BindFailure.of(port, bound.cause());
        }
        return candidate;
    }

    private void configure(DatagramChannel candidate, SocketProtocolFamily family, UdpSettings settings) {
        // Reads start once the receive handler is in place.
        candidate.config().setAutoRead(false);
        candidate.config().setAllocator(allocator);
        SocketBuffers.apply(candidate, settings.socketBufferBytes(), flavour == IoFlavour.EPOLL);
        candidate.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(settings.socketBufferBytes() / 2, settings.socketBufferBytes()));
        if (flavour == IoFlavour.EPOLL) {
            if (family == SocketProtocolFamily.INET6) {
                candidate.config().setOption(IPV6_V6ONLY, 0);
            }
            UdpSettings receive = receiveOffload(candidate, settings);
            // A receive buffer holding several slots makes Netty use recvmmsg, one datagram per slot; with UDP_GRO
            // one slot as large as a run (the allocator turns GRO off and on as it pays).
            candidate.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, receive.receiveSlotBytes());
            candidate.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, new ReceiveBatchAllocator(
                    receive.maxDatagramBytes(), receive.receiveBatch(), receive.receiveOffload() ? UdpSettings.GRO_SLOT_BYTES : 0));
        } else {
            candidate.config().setOption(ChannelOption.RCVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(settings.maxDatagramBytes()));
        }
    }

    /**
     * UDP_GRO: a sender's UDP_SEGMENT send (or a run the device merged) arrives as one receive, which Netty cuts
     * back into the datagrams; it saves the kernel a trip through the UDP stack per datagram on both sides.
     * @return the settings the socket got: without receive offload when the kernel refuses it
     */
    private UdpSettings receiveOffload(DatagramChannel candidate, UdpSettings settings) {
        if (!settings.receiveOffload()) {
            return settings;
        }
        try {
            if (candidate.config().setOption(EpollChannelOption.UDP_GRO, true)) {
                return settings;
            }
        } catch (RuntimeException refused) {
            // an old kernel: received one datagram per slot, as without the option
        }
        return settings.withoutReceiveOffload();
    }

    /** The host has no IPv6 stack: try an IPv4 socket instead. */
    private static final class IPv6Unavailable extends IOException {
        IPv6Unavailable() {
            super("IPv6 is not available");
        }
    }

    String describeSocket() {
        return flavour + " " + localAddress + ", " + SocketBuffers.describe(channel);
    }

    @Override
    public String transportName() {
        return UdpTransport.NAME;
    }

    @Override
    public int listenPort() {
        return localAddress.getPort();
    }

    /** An endpoint another transport made cannot be reached from here: dropped and counted. */
    @Override
    public boolean send(ByteBuffer datagram, Endpoint destination) {
        if (!(destination instanceof UdpEndpoint udp)) {
            counters.sendDrops.increment();
            return false;
        }
        return batcher.offer(datagram, udp.address());
    }

    @Override
    public void flush() {
        batcher.flush();
    }

    /** STUN Binding requests from this socket, answered through the receive path ({@link StunClient}). */
    CompletableFuture<List<String>> discover(List<InetSocketAddress> servers, Duration timeout) {
        if (!channel.isActive()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return stun.discover(servers, timeout);
    }

    /** A socket filter does it (see {@link InitiationFilter}); sources other transports made are left out. */
    @Override
    public boolean shedInitiationsFrom(List<Endpoint> sources) {
        if (initiationFilter == null) {
            return false;
        }
        List<InetAddress> hosts = new ArrayList<>();
        for (Endpoint e : sources) {
            if (e instanceof UdpEndpoint udp) {
                hosts.add(udp.address().getAddress());
            }
        }
        return initiationFilter.dropInitiationsFrom(hosts);
    }

    @Override
    public long dropped() {
        return counters.dropped();
    }

    @Override
    public void close() {
        batcher.close();
        stun.close();
        if (channel.eventLoop().inEventLoop()) {
            // Closed from a receiver callback: the loop cannot wait for itself; it closes once this task returns.
            channel.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            return;
        }
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        batcher.close(); // anything queued while the channel was closing
    }

    @Override
    public String toString() {
        return "UDP binding " + localAddress;
    }
}
