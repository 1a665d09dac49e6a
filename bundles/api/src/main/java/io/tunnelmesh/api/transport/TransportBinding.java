package io.tunnelmesh.api.transport;

import io.tunnelmesh.api.Endpoint;
import java.nio.ByteBuffer;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open transport: send datagrams, close it. The endpoints it makes (for the sources of what it receives)
 * and those its transport parsed belong to it: once it is closed the node drops them.
 */
@ConsumerType
public interface TransportBinding extends AutoCloseable {
    /** The transport's name (its {@link Transport#NAME_PROPERTY}). */
    String transportName();

    /**
     * The port this binding listens on (the actual one when {@link TransportOptions#listenPort()} was 0), or 0
     * for a transport without ports. The node asks for it again when the transport is bound anew.
     */
    int listenPort();

    /**
     * Queues one datagram (position to limit) for {@code destination}. The bytes are copied or sent before
     * this returns, so the caller may reuse the buffer. Sending may be deferred until {@link #flush()} so
     * several datagrams go out in one system call. Thread-safe.
     *
     * @return false when the datagram was dropped (queue full, binding closed, or {@code destination} is not
     *         an endpoint of this transport), counted in {@link #dropped()}
     */
    boolean send(ByteBuffer datagram, Endpoint destination);

    /** Sends everything queued by this thread's {@link #send} calls. */
    void flush();

    /** Datagrams dropped by the transport itself (e.g. full send queue) since bind. */
    default long dropped() {
        return 0;
    }

    /**
     * Asks the transport to drop WireGuard handshake initiations (datagrams whose first byte is 1) from the hosts
     * of {@code sources} before they reach the receiver, until the next call; an empty list ends it. The sources are
     * endpoints this binding made. The node asks this for hosts that keep flooding it while it demands cookies:
     * the kernel drops a datagram for less than receiving it costs. Data and other messages still pass.
     *
     * @return false when the transport cannot (the node then goes on dropping them itself)
     */
    default boolean shedInitiationsFrom(List<Endpoint> sources) {
        return false;
    }

    @Override
    void close();
}
