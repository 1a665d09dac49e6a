package io.tunnelmesh.api.node;

import io.tunnelmesh.api.EndpointSpec;

/**
 * One configured endpoint of a peer and whether the node can send to it.
 *
 * @param endpoint as configured
 * @param state    whether its transport is bound and accepted it
 * @param detail   why it cannot be used (which transport is missing, what the transport refused), or empty
 */
public record CandidateStatus(EndpointSpec endpoint, State state, String detail) {
    public enum State {
        /** The bound transport of its name made an endpoint of it. */
        USABLE,
        /** No transport of its name is bound (yet): it is used once one is. */
        WAITING,
        /** The bound transport of its name refused it (e.g. a host name that does not resolve). */
        REFUSED
    }

    public CandidateStatus {
        detail = detail == null ? "" : detail;
    }
}
