package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.node.CandidateStatus;

/**
 * One configured endpoint of a peer and what the transport bound under its name made of it: an endpoint, or
 * why not. Immutable; resolved again when that transport's binding changes, since endpoints belong to the
 * binding that made them.
 *
 * @param by       the binding that parsed it, or null when none of its name is bound
 * @param endpoint what {@code by}'s transport made of it, or null
 */
record Candidate(EndpointSpec spec, TransportBindings.Active by, Endpoint endpoint, CandidateStatus.State state, String problem) {
    static Candidate waiting(EndpointSpec spec) {
        return new Candidate(spec, null, null, CandidateStatus.State.WAITING,
                "no transport named " + spec.transport() + " is bound");
    }

    static Candidate refused(EndpointSpec spec, TransportBindings.Active by, String why) {
        return new Candidate(spec, by, null, CandidateStatus.State.REFUSED, why);
    }

    static Candidate usable(EndpointSpec spec, TransportBindings.Active by, Endpoint endpoint) {
        return new Candidate(spec, by, endpoint, CandidateStatus.State.USABLE, "");
    }

    boolean usable() {
        return endpoint != null;
    }

    /** Whether {@code transports} still binds its name as when it was resolved (or still not at all). */
    boolean current(TransportBindings transports) {
        return transports.active(spec.transport()) == by;
    }

    CandidateStatus status() {
        return new CandidateStatus(spec, state, problem);
    }
}
