package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.transport.TransportBinding;

/**
 * Where one peer roamed to: the source of its latest authenticated datagram and the binding it came through,
 * which wins over the configured candidates (as in WireGuard). Endpoints belong to the binding that made them,
 * so when that binding goes, the endpoint's text waits to be read again by the next binding of its transport.
 * Guarded by the {@link PeerPath} that owns it.
 */
final class LearnedEndpoint {
    /** The latest authenticated source, or null. */
    private Endpoint endpoint;
    private TransportBinding via;
    /** A learned endpoint whose binding closed with no other of its transport bound: read again by the next one. */
    private EndpointSpec waiting;

    Endpoint endpoint() {
        return endpoint;
    }

    /** Whether a learned endpoint waits for its transport to be bound again. */
    boolean waiting() {
        return waiting != null;
    }

    /** The peer was heard from at {@code source}, through {@code through}. */
    void set(Endpoint source, TransportBinding through) {
        endpoint = source;
        via = through;
        waiting = null;
    }

    /** With no candidates configured, the peer stays at {@code current}, as {@code wg set} without an endpoint. */
    void keepIfNone(Endpoint current, TransportBindings transports) {
        if (endpoint == null && current != null) {
            endpoint = current;
            via = transports.binding(current.transport());
        }
    }

    void forget() {
        endpoint = null;
        via = null;
        waiting = null;
    }

    /** A transport was bound, replaced or closed: the endpoint goes with its binding, and comes back with the next. */
    void transportsChanged(NodeKey peer, EndpointResolver resolver) {
        TransportBindings transports = resolver.transports();
        if (endpoint != null && transports.binding(endpoint.transport()) != via) {
            EndpointSpec text = specOf(endpoint); // the endpoint went with its binding; its text waits for the next one
            forget();
            waiting = text;
        }
        if (endpoint == null && waiting != null) {
            TransportBindings.Active by = transports.active(waiting.transport());
            if (by != null) {
                Candidate again = resolver.resolve(peer, waiting);
                waiting = null;
                if (again.usable()) {
                    endpoint = again.endpoint();
                    via = by.binding();
                }
            }
        }
    }

    /** The text form of an endpoint a transport made, to be read again by its next binding; null if unreadable. */
    private static EndpointSpec specOf(Endpoint endpoint) {
        try {
            return EndpointSpec.parse(endpoint.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
