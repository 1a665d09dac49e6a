package io.tunnelmesh.api.transport;

import io.tunnelmesh.api.Endpoint;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives datagrams from a {@link TransportBinding}. Implemented by the node. */
@ConsumerType
public interface DatagramReceiver {
    /**
     * One datagram, position to limit, from {@code source} (an endpoint of {@code via}'s transport, which the
     * receiver may keep and send to). Called on a transport I/O thread; the buffer is reused after the call
     * returns, so copy what must outlive it. Must not block for long.
     */
    void received(ByteBuffer datagram, Endpoint source, TransportBinding via);

    /**
     * Called after a batch of {@link #received} calls, at the latest before the transport waits for more input
     * (after every datagram when it does not batch). The receiver may hold decrypted packets until then, to
     * write them to the TUN device together; it also {@link TransportBinding#flush() flushes} what it sent.
     */
    default void batchComplete(TransportBinding via) {
    }
}
