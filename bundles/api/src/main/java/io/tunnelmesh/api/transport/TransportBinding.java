package io.tunnelmesh.api.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/** An open transport: send datagrams, close it. */
@ConsumerType
public interface TransportBinding extends AutoCloseable {
    /** The transport's name (its {@link Transport#NAME_PROPERTY}). */
    String transportName();

    /** Where this binding listens (the actual port when 0 was asked for). */
    InetSocketAddress localAddress();

    /**
     * Queues one datagram (position to limit) for {@code destination}. The bytes are copied or sent before
     * this returns, so the caller may reuse the buffer. Sending may be deferred until {@link #flush()} so
     * several datagrams go out in one system call. Thread-safe.
     *
     * @return false when the datagram was dropped (queue full, binding closed)
     */
    boolean send(ByteBuffer datagram, InetSocketAddress destination);

    /** Sends everything queued by this thread's {@link #send} calls. */
    void flush();

    /** Datagrams dropped by the transport itself (e.g. full send queue) since bind. */
    default long dropped() {
        return 0;
    }

    @Override
    void close();
}
