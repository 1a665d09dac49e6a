package io.tunnelmesh.transport.tcp.example;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * An open TCP transport: a listening socket on the node's port and one connection per endpoint. This class is the
 * side the node's packet threads call: {@link #send} only copies the datagram into its connection's bounded
 * {@link Outbox} (asking for the connection first if there is none), {@link #flush} wakes the I/O thread, which does
 * all the socket work ({@link IoLoop}). Nothing here waits for the network.
 */
final class TcpBinding implements TransportBinding {
    private static final int ACCEPT_BACKLOG = 64;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final TcpSettings settings;
    private final InetSocketAddress localAddress;
    /** The connection (or a failed dial, for a moment) of each endpoint; the I/O thread adds and removes. */
    private final Map<TcpEndpoint, Connection> connections = new ConcurrentHashMap<>();
    /** Connections send() asked for, for the I/O thread to open. */
    private final Queue<Connection> dials = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writesWaiting = new AtomicBoolean();
    private final LongAdder dropped = new LongAdder();
    private final IoLoop loop;
    private final Thread ioThread;
    private final Consumer<TcpBinding> onClose;
    private volatile boolean closed;

    private TcpBinding(ServerSocketChannel server, Selector selector, DatagramReceiver receiver, TcpSettings settings,
            Consumer<String> warn, Consumer<TcpBinding> onClose) throws IOException {
        this.server = server;
        this.selector = selector;
        this.settings = settings;
        this.localAddress = (InetSocketAddress) server.getLocalAddress();
        this.onClose = onClose;
        this.loop = new IoLoop(this, receiver, selector, server, connections, dials, settings, warn);
        this.ioThread = Thread.ofPlatform().name("tm-tcp-" + localAddress.getPort()).daemon().unstarted(loop);
    }

    /**
     * Listens on TCP {@code port} of every address (0 = any free port) and starts the I/O thread.
     *
     * @param warn    takes one-line warnings (the transport logs them)
     * @param onClose told when the binding is closed
     */
    static TcpBinding open(int port, DatagramReceiver receiver, TcpSettings settings, Consumer<String> warn,
            Consumer<TcpBinding> onClose) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        Selector selector = null;
        try {
            // a new binding on the port of a closed one must not wait for that one's connections in TIME_WAIT
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(port), ACCEPT_BACKLOG);
            server.configureBlocking(false);
            selector = Selector.open();
            TcpBinding binding = new TcpBinding(server, selector, receiver, settings, warn, onClose);
            binding.ioThread.start();
            return binding;
        } catch (BindException e) {
            closeQuietly(server, selector);
            throw bindFailure(port, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(server, selector);
            throw e;
        }
    }

    private static void closeQuietly(ServerSocketChannel server, Selector selector) throws IOException {
        server.close();
        if (selector != null) {
            selector.close();
        }
    }

    private static IOException bindFailure(int port, BindException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("in use")) {
            return new IOException("TCP port " + port + " is already in use: choose another listen port or stop the"
                    + " program using it (ss -ltnp 'sport = :" + port + "')");
        }
        return new IOException("cannot listen on TCP port " + port + ": " + message
                + (port < 1024 ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : ""));
    }

    @Override
    public String transportName() {
        return TcpTransport.NAME;
    }

    @Override
    public int listenPort() {
        return localAddress.getPort();
    }

    /** Any thread: queues the datagram on its endpoint's connection, or drops and counts it; never blocks. */
    @Override
    public boolean send(ByteBuffer datagram, Endpoint destination) {
        int length = datagram.remaining();
        Connection c = closed || !(destination instanceof TcpEndpoint to) || length == 0
                || length > settings.maxDatagramBytes() ? null : connectionTo(to);
        if (c == null || !c.outbox.offer(datagram)) {
            dropped.increment();
            return false;
        }
        writesWaiting.set(true);
        return true;
    }

    /**
     * The connection for {@code to}, asking the I/O thread to open one if there is none (it makes room under
     * max.connections); null when it cannot be had. The node sends to its peers' endpoints and to the sources of
     * datagrams, which are connections already here: this map grows with the peers, not with what strangers send.
     */
    private Connection connectionTo(TcpEndpoint to) {
        Connection c = connections.get(to);
        if (c == null) {
            Connection fresh = new Connection(to, true, settings, System.nanoTime());
            c = connections.putIfAbsent(to, fresh);
            if (c == null) {
                dials.add(fresh);
                writesWaiting.set(true);
                return fresh;
            }
        }
        return c.closed() ? null : c; // a dial that failed lately: not again before the I/O thread forgets it
    }

    /** Wakes the I/O thread when anything was queued since the last flush. */
    @Override
    public void flush() {
        if (writesWaiting.getAndSet(false)) {
            selector.wakeup();
        }
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    /** Stops the I/O thread, which closes every connection and the listening socket; waits for it (bounded). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        loop.stop();
        if (Thread.currentThread() != ioThread) {
            try {
                ioThread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "TCP binding " + localAddress;
    }
}
