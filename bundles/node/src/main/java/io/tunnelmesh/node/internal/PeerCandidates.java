package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.node.CandidateStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer's configured endpoints, most preferred first, each as the transport bound under its name made it
 * ({@link Candidate}). Immutable: the control threads make a new one when the configuration or a binding changes;
 * the {@link PeerPath} that holds it reads it under its lock.
 */
final class PeerCandidates {
    static final PeerCandidates NONE = new PeerCandidates(new Candidate[0]);

    private final Candidate[] list;

    private PeerCandidates(Candidate[] list) {
        this.list = list;
    }

    /** {@code specs} resolved; one of these whose transport is still bound as when it was resolved is kept as it is. */
    PeerCandidates configured(NodeKey peer, List<EndpointSpec> specs, EndpointResolver resolver) {
        Candidate[] next = new Candidate[specs.size()];
        for (int i = 0; i < next.length; i++) {
            Candidate same = find(specs.get(i));
            next[i] = same != null && same.current(resolver.transports()) ? same : resolver.resolve(peer, specs.get(i));
        }
        return new PeerCandidates(next);
    }

    /** After a transport was bound, replaced or closed: resolves again what its binding had made. */
    PeerCandidates resolvedAgain(NodeKey peer, EndpointResolver resolver) {
        Candidate[] next = list.clone();
        for (int i = 0; i < next.length; i++) {
            if (!next[i].current(resolver.transports())) {
                next[i] = resolver.resolve(peer, next[i].spec());
            }
        }
        return new PeerCandidates(next);
    }

    /** Position of the first candidate usable here but not in {@code before} (the same specs); MAX_VALUE if none. */
    int firstNewlyUsable(PeerCandidates before) {
        for (int i = 0; i < list.length; i++) {
            if (list[i].usable() && !before.list[i].usable()) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    boolean hasSpecs(List<EndpointSpec> specs) {
        if (specs.size() != list.length) {
            return false;
        }
        for (int i = 0; i < list.length; i++) {
            if (!list[i].spec().equals(specs.get(i))) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return list.length;
    }

    /** Where a peer not heard from yet is sent: the first usable relay, else the first usable candidate; or null. */
    Endpoint preferred() {
        // relay first when there is one: it works at once, and the probes find a direct path after
        Endpoint relay = firstRelay();
        return relay != null ? relay : firstUsable();
    }

    /** The first usable relayed candidate, or null. */
    Endpoint firstRelay() {
        for (Candidate k : list) {
            if (k.usable() && k.endpoint().relayed()) {
                return k.endpoint();
            }
        }
        return null;
    }

    boolean hasRelay() {
        return firstRelay() != null;
    }

    private Endpoint firstUsable() {
        for (Candidate k : list) {
            if (k.usable()) {
                return k.endpoint();
            }
        }
        return null;
    }

    /** Whether one of them waits for its transport to be bound. */
    boolean anyWaiting() {
        for (Candidate k : list) {
            if (k.state() == CandidateStatus.State.WAITING) {
                return true;
            }
        }
        return false;
    }

    /** How many usable direct (not relayed) candidates there are. */
    int directCount() {
        int n = 0;
        for (Candidate k : list) {
            if (k.usable() && !k.endpoint().relayed()) {
                n++;
            }
        }
        return n;
    }

    /** A probe round: a ping to every usable direct candidate. */
    void pingDirect(ProbeSender send) {
        for (Candidate k : list) {
            if (k.usable() && !k.endpoint().relayed()) {
                send.ping(k.endpoint());
            }
        }
    }

    /** Every usable candidate but {@code current}. */
    List<Endpoint> usableExcept(Endpoint current) {
        List<Endpoint> out = new ArrayList<>(list.length);
        for (Candidate k : list) {
            if (k.usable() && !k.endpoint().equals(current)) {
                out.add(k.endpoint());
            }
        }
        return out;
    }

    /** Position of the first candidate of {@code transport}; after all of them when it has none. */
    int rank(String transport) {
        for (int i = 0; i < list.length; i++) {
            if (list[i].spec().transport().equals(transport)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    List<CandidateStatus> status() {
        List<CandidateStatus> out = new ArrayList<>(list.length);
        for (Candidate c : list) {
            out.add(c.status());
        }
        return out;
    }

    private Candidate find(EndpointSpec spec) {
        for (Candidate c : list) {
            if (c.spec().equals(spec)) {
                return c;
            }
        }
        return null;
    }
}
