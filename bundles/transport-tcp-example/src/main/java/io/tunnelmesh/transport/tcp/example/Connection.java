package io.tunnelmesh.transport.tcp.example;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection, and the endpoint it stands for: the peer's listening address for one we made, the remote
 * address for one we accepted. Made by {@code send()} on the node's threads (then opened by the I/O thread) or by the
 * I/O thread on accept; only the I/O thread touches the socket.
 */
final class Connection {
    final TcpEndpoint endpoint;
    /** Made by us, to a peer's listening address; false for one a peer made to us. */
    final boolean dialed;
    final Outbox outbox;
    final FrameReader reader;
    private volatile boolean closed;

    // the I/O thread's alone
    SocketChannel channel;
    SelectionKey key;
    boolean connected;
    long lastActiveNanos;
    long closedAtNanos;

    Connection(TcpEndpoint endpoint, boolean dialed, TcpSettings settings, long nowNanos) {
        this.endpoint = endpoint;
        this.dialed = dialed;
        this.outbox = new Outbox(settings.sendBufferBytes());
        this.reader = new FrameReader(settings.maxDatagramBytes());
        this.lastActiveNanos = nowNanos;
    }

    boolean closed() {
        return closed;
    }

    void markClosed(long nowNanos) {
        closed = true;
        closedAtNanos = nowNanos;
    }

    @Override
    public String toString() {
        return (dialed ? "connection to " : "connection from ") + endpoint;
    }
}
