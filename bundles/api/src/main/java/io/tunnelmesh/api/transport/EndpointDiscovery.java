package io.tunnelmesh.api.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Learns how this node looks from outside its NAT: a transport asks STUN servers (RFC 8489 Binding) from the very
 * socket its peers reach, so the reflexive address it learns is the one a peer can send to. Registered by a
 * transport next to its {@link Transport}, with the same {@link Transport#NAME_PROPERTY}; the coordinator link
 * reports what it finds as candidates.
 */
@ConsumerType
public interface EndpointDiscovery {
    /** The transport whose socket is asked from, e.g. {@code udp}. */
    String transport();

    /**
     * Asks each server once from the transport's bound socket.
     *
     * @param servers {@code HOST:PORT} of STUN servers (a host name is resolved here; one that does not resolve
     *                is not asked)
     * @return the distinct reflexive endpoints the servers saw, as endpoint text ({@code udp:203.0.113.10:54346}),
     *         once every server answered or the timeout passed; empty when none answered in time or the transport
     *         is not bound. Never completes exceptionally.
     * @throws IllegalArgumentException one line naming a server text that is not {@code HOST:PORT}
     */
    CompletableFuture<List<String>> discover(List<String> servers, Duration timeout);
}
