package io.tunnelmesh.api.transport;

import io.tunnelmesh.api.Endpoint;
import java.io.IOException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The transport SPI: how encrypted datagrams travel between nodes. The UDP transport implements it; a third
 * party drops in a bundle registering its own {@code Transport} service with a distinct
 * {@link #NAME_PROPERTY}, and peers with an endpoint {@code NAME:ADDRESS} are reached through it. Of several
 * services with one name the node binds the one with the highest {@code service.ranking} (on a tie the lowest
 * {@code service.id}), switching when a higher one comes and falling back when it goes. Datagrams are
 * already encrypted: a transport never sees plaintext.
 */
@ConsumerType
public interface Transport {
    /** Service property carrying {@link #name()}, so nodes can pick a transport by name. */
    String NAME_PROPERTY = "transport.name";

    /** The name endpoints use to select this transport, e.g. {@code udp}. */
    String name();

    /**
     * Reads the part of a configured endpoint after {@code NAME:} (for UDP {@code HOST:PORT}; a host name is
     * resolved once, here, as {@code wg set} does). The node calls it on its control threads when a peer is
     * configured or this transport is bound, never per packet.
     *
     * @throws IllegalArgumentException one line naming the endpoint and what to write instead
     */
    Endpoint parseEndpoint(String address);

    /**
     * Opens the transport. Incoming datagrams are handed to {@code receiver} on the transport's own threads
     * until the binding is closed.
     *
     * @throws IOException with a message naming the address and what to do (e.g. "port 51820 in use")
     */
    TransportBinding bind(TransportOptions options, DatagramReceiver receiver) throws IOException;
}
