package io.tunnelmesh.transport.tcp.example;

import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The binding's one I/O thread; only it touches sockets. Each round:
 *
 * <pre>
 *   wait for the sockets, or for flush() ─► accept: a new connection is the endpoint of its remote address
 *                                        ─► finish connects ─► read: whole frames only ─► receiver.received(…)
 *   ─► receiver.batchComplete ─► open the connections send() asked for ─► write what the outboxes hold
 * </pre>
 *
 * A connection that breaks, ends or sends a bad frame is closed and forgotten; the next send to its endpoint opens a
 * new one. A dial that fails is remembered for a second, so a peer that refuses is not dialled once per packet.
 */
final class IoLoop implements Runnable {
    private static final long REDIAL_AFTER_NANOS = 1_000_000_000L;
    private static final long ROUND_MILLIS = 1_000;
    private static final int ACCEPTS_PER_ROUND = 64;
    private static final int WARNINGS_KEPT = 256;

    private final TransportBinding binding;
    private final DatagramReceiver receiver;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Map<TcpEndpoint, Connection> connections;
    private final Queue<Connection> dials;
    private final TcpSettings settings;
    private final Consumer<String> warn;
    /** Every connection with a socket: this thread's own list, walked to write. */
    private final List<Connection> open = new ArrayList<>();
    /** What was warned about already (a kind, or a kind and an endpoint), so a hostile peer cannot flood the log. */
    private final Set<String> warned = new HashSet<>();
    private final Consumer<SelectionKey> onReady = this::ready;
    private volatile boolean stopping;
    private boolean delivered;
    private long now = System.nanoTime();
    private long lastForgetNanos = now;

    IoLoop(TransportBinding binding, DatagramReceiver receiver, Selector selector, ServerSocketChannel server,
            Map<TcpEndpoint, Connection> connections, Queue<Connection> dials, TcpSettings settings,
            Consumer<String> warn) {
        this.binding = binding;
        this.receiver = receiver;
        this.selector = selector;
        this.server = server;
        this.connections = connections;
        this.dials = dials;
        this.settings = settings;
        this.warn = warn;
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (!stopping) {
                selector.select(onReady, ROUND_MILLIS);
                now = System.nanoTime();
                if (delivered) {
                    delivered = false;
                    batchComplete();
                }
                openDials();
                writeAll();
                forgetFailedDials();
            }
        } catch (IOException | RuntimeException e) {
            warn.accept("TCP transport " + binding + ": the I/O thread stopped: " + e
                    + "; stop and start the bundle to listen again");
        } finally {
            closeEverything();
        }
    }

    private void ready(SelectionKey key) {
        now = System.nanoTime(); // for idle times and failed dials; select may have waited up to a round
        if (!(key.attachment() instanceof Connection c)) {
            accept();
            return;
        }
        try {
            if (key.isConnectable()) {
                finishConnect(c);
            }
            if (key.isValid() && key.isWritable()) {
                write(c);
            }
            if (key.isValid() && key.isReadable()) {
                read(c);
            }
        } catch (FrameReader.BadFrame e) {
            close(c);
            warnOnce("bad frame", "TCP transport: closed the " + c + ": " + e.getMessage()
                    + " (not a TunnelMesh TCP peer?); further ones are not logged");
        } catch (IOException e) {
            close(c);
            if (c.dialed && !c.connected) {
                warnOnce("dial " + c.endpoint, "TCP transport: cannot connect to " + c.endpoint + ": " + e.getMessage()
                        + " (tried again when the node next sends there, at most once a second)");
            }
        } catch (RuntimeException e) { // a bug here must cost this one connection, not the binding
            close(c);
            warnOnce("unexpected", "TCP transport: closed the " + c + " after " + e + "; further ones are not logged");
        }
    }

    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
            Connection c = null;
            try {
                SocketChannel channel = server.accept();
                if (channel == null) {
                    return;
                }
                makeRoom();
                c = new Connection(new TcpEndpoint((InetSocketAddress) channel.getRemoteAddress()), false, settings, now);
                c.channel = channel; // closed with c should registering it fail
                register(c, channel, SelectionKey.OP_READ);
                c.connected = true;
                Connection replaced = connections.put(c.endpoint, c);
                if (replaced != null) {
                    close(replaced); // the peer's earlier connection from the same address and port is dead
                }
            } catch (IOException | RuntimeException e) {
                if (c != null) {
                    close(c);
                }
                warnOnce("accept", "TCP transport " + binding + ": accepting a connection failed: " + e.getMessage());
                return;
            }
        }
    }

    private void openDials() {
        Connection c;
        while ((c = dials.poll()) != null) {
            if (c.closed()) {
                continue;
            }
            makeRoom();
            try {
                SocketChannel channel = SocketChannel.open();
                register(c, channel, SelectionKey.OP_CONNECT);
                if (channel.connect(c.endpoint.address())) {
                    finishConnect(c);
                }
            } catch (IOException | RuntimeException e) {
                close(c);
                warnOnce("dial " + c.endpoint, "TCP transport: cannot connect to " + c.endpoint + ": " + e.getMessage());
            }
        }
    }

    private void register(Connection c, SocketChannel channel, int interest) throws IOException {
        c.channel = channel;
        open.add(c);
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // frames are whole datagrams: send them now
        c.key = channel.register(selector, interest, c);
    }

    private void finishConnect(Connection c) throws IOException {
        if (c.channel.finishConnect()) {
            c.connected = true;
            c.lastActiveNanos = now;
            warned.remove("dial " + c.endpoint);
            c.key.interestOps(SelectionKey.OP_READ);
            write(c); // what was queued while connecting
        }
    }

    private void read(Connection c) throws IOException {
        if (c.reader.readFrom(c.channel) < 0) {
            close(c); // the peer closed it; a frame it left unfinished is dropped
            return;
        }
        c.lastActiveNanos = now;
        ByteBuffer datagram;
        while ((datagram = c.reader.next()) != null) {
            try {
                receiver.received(datagram, c.endpoint, binding);
            } catch (RuntimeException e) {
                warnOnce("receiver", "TCP transport: the node's receiver threw " + e + "; further failures are not logged");
            }
            delivered = true;
        }
    }

    private void batchComplete() {
        try {
            receiver.batchComplete(binding);
        } catch (RuntimeException e) {
            warnOnce("receiver", "TCP transport: the node's receiver threw " + e + "; further failures are not logged");
        }
    }

    /** Writes each connected outbox that is not waiting for its socket to become writable. */
    private void writeAll() {
        for (int i = open.size() - 1; i >= 0; i--) { // backwards: a failed write removes the connection
            Connection c = open.get(i);
            if (c.connected && (c.key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                try {
                    write(c);
                } catch (IOException | RuntimeException e) {
                    close(c); // the peer went away: the next send opens a new connection
                }
            }
        }
    }

    private void write(Connection c) throws IOException {
        boolean done = c.outbox.writeTo(c.channel);
        c.key.interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    /** At the limit, the connection idle longest goes: a silent one cannot keep a peer with traffic out. */
    private void makeRoom() {
        if (open.size() < settings.maxConnections()) {
            return;
        }
        Connection idlest = open.getFirst();
        for (Connection c : open) {
            if (c.lastActiveNanos < idlest.lastActiveNanos) {
                idlest = c;
            }
        }
        close(idlest);
        warnOnce("full", "TCP transport: " + settings.maxConnections() + " connections open, closed the one idle"
                + " longest (" + idlest + "); raise max.connections if that many peers are normal");
    }

    private void close(Connection c) {
        if (c.closed()) {
            return;
        }
        c.markClosed(now);
        open.remove(c);
        if (c.channel != null) {
            try {
                c.channel.close(); // also cancels its key
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (!c.dialed || c.connected) {
            connections.remove(c.endpoint, c);
        } // a failed dial stays in the map a while: see forgetFailedDials
    }

    /** Once a second: failed dials older than that leave the map, so the next send dials again. */
    private void forgetFailedDials() {
        if (now - lastForgetNanos < REDIAL_AFTER_NANOS) {
            return;
        }
        lastForgetNanos = now;
        connections.values().removeIf(c -> c.closed() && now - c.closedAtNanos >= REDIAL_AFTER_NANOS);
    }

    private void warnOnce(String what, String message) {
        if (warned.size() >= WARNINGS_KEPT) {
            warned.clear();
        }
        if (warned.add(what)) {
            warn.accept(message);
        }
    }

    private void closeEverything() {
        for (Connection c : List.copyOf(open)) {
            close(c);
        }
        connections.clear();
        dials.clear();
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            warn.accept("TCP transport " + binding + ": closing failed: " + e.getMessage());
        }
    }
}
