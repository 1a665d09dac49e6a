package io.tunnelmesh.api.transport;

import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport SPI: how encrypted datagrams travel between nodes. The UDP transport implements it; a third
 * party drops in a bundle registering its own {@code Transport} service with a distinct
 * {@link #NAME_PROPERTY}, and peers whose endpoint names that transport are reached through it. Datagrams
 * are already encrypted: a transport never sees plaintext.
 */
@ConsumerType
public interface Transport {
    /** Service property carrying {@link #name()}, so nodes can pick a transport by name. */
    String NAME_PROPERTY = "transport.name";

    /** The name endpoints use to select this transport, e.g. {@code udp}. */
    String name();

    /**
     * Opens the transport. Incoming datagrams are handed to {@code receiver} on the transport's own threads
     * until the binding is closed.
     *
     * @throws IOException with a message naming the address and what to do (e.g. "port 51820 in use")
     */
    TransportBinding bind(TransportOptions options, DatagramReceiver receiver) throws IOException;
}
