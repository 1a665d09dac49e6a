package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.support.log.ComponentLog;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns a peer's configured endpoints into endpoints of the bound transports ({@code Transport.parseEndpoint}),
 * on the control threads only: when a peer is configured and when a transport is bound or goes. Says once per
 * transport name which one is missing, and each time a transport refuses an endpoint.
 */
final class EndpointResolver {
    private final TransportBindings transports;
    private final ComponentLog log;
    /** Names reported missing since they were last bound; guarded by the data plane's lock. */
    private final Set<String> reportedMissing = new HashSet<>();

    EndpointResolver(TransportBindings transports, ComponentLog log) {
        this.transports = transports;
        this.log = log;
    }

    TransportBindings transports() {
        return transports;
    }

    Candidate resolve(NodeKey peer, EndpointSpec spec) {
        Candidate c = parse(spec);
        switch (c.state()) {
            case WAITING -> {
                if (reportedMissing.add(spec.transport())) {
                    log.warn("endpoint " + spec + " of peer " + peer + " waits for transport " + spec.transport()
                            + ": no Transport service with transport.name=" + spec.transport()
                            + " is bound; install the bundle that provides it (logged once per transport)");
                }
            }
            case REFUSED -> log.warn("peer " + peer + ": transport " + spec.transport() + " refused endpoint " + spec + ": " + c.problem());
            case USABLE -> reportedMissing.remove(spec.transport());
        }
        return c;
    }

    /** Why the bound transport of its name refuses {@code spec}, or null (usable, or none bound yet). */
    String refusal(EndpointSpec spec) {
        Candidate c = parse(spec);
        return c.state() == CandidateStatus.State.REFUSED ? c.problem() : null;
    }

    private Candidate parse(EndpointSpec spec) {
        TransportBindings.Active by = transports.active(spec.transport());
        if (by == null) {
            return Candidate.waiting(spec);
        }
        try {
            Endpoint endpoint = by.transport().parseEndpoint(spec.address());
            if (endpoint != null && spec.transport().equals(endpoint.transport())) {
                return Candidate.usable(spec, by, endpoint);
            }
            return Candidate.refused(spec, by, "transport " + spec.transport() + " made "
                    + (endpoint == null ? "nothing" : "an endpoint of transport " + endpoint.transport()) + " of " + spec);
        } catch (IllegalArgumentException e) {
            return Candidate.refused(spec, by, e.getMessage());
        } catch (RuntimeException | LinkageError e) { // foreign code: anything but a refusal is its bug
            return Candidate.refused(spec, by, "transport " + spec.transport() + " failed to read " + spec + ": " + e);
        }
    }
}
