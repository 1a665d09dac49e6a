package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.api.transport.TransportBinding;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one peer's datagrams go: the source of its latest authenticated datagram (it roams, as in WireGuard),
 * else its first configured candidate that a bound transport could read. A transport that appears for a
 * candidate ahead of the current path's transport in the peer's list takes the path over. The whole rule lives
 * here, so path probing (NAT traversal) can replace it.
 *
 * <p>The packet threads read {@link #current()} per packet and call {@link #authenticatedFrom} per authenticated
 * datagram, which only locks when the peer really moved; everything else runs on the control threads.
 */
final class PeerPath {
    private static final Candidate[] NONE = new Candidate[0];

    private final NodeKey peer;
    private volatile Endpoint current;
    /** No path, and a candidate (or the learned endpoint) waits for its transport to be bound. */
    private volatile boolean waitingForTransport;
    // guarded by this
    private Candidate[] candidates = NONE;
    /** The latest authenticated source and the binding it came through, or null. */
    private Endpoint learned;
    private TransportBinding learnedVia;
    /** A learned endpoint whose binding closed with no other of its transport bound: read again by the next one. */
    private EndpointSpec learnedWaiting;

    PeerPath(NodeKey peer) {
        this.peer = peer;
    }

    /** Where to send now, or null. Hot path. */
    Endpoint current() {
        return current;
    }

    boolean waitingForTransport() {
        return waitingForTransport;
    }

    /**
     * The peer's configured candidates are now {@code specs}. New ones send the peer there (the operator says
     * where it is); the same ones keep a roamed peer where it is; none keeps it where it is now, as
     * {@code wg set} without an endpoint does.
     */
    synchronized void configure(List<EndpointSpec> specs, EndpointResolver resolver) {
        if (specs.isEmpty()) {
            if (learned == null && current != null) {
                learned = current;
                learnedVia = resolver.transports().binding(current.transport());
            }
        } else if (!specs.equals(specs())) {
            forgetLearned();
        }
        Candidate[] next = new Candidate[specs.size()];
        for (int i = 0; i < next.length; i++) {
            Candidate same = find(specs.get(i));
            next[i] = same != null && same.current(resolver.transports()) ? same : resolver.resolve(peer, specs.get(i));
        }
        candidates = next;
        choose();
    }

    /** A transport was bound, replaced or closed: resolves again what its binding had made. */
    synchronized void transportsChanged(EndpointResolver resolver) {
        TransportBindings transports = resolver.transports();
        Candidate[] next = candidates.clone();
        int firstNewlyUsable = Integer.MAX_VALUE;
        for (int i = 0; i < next.length; i++) {
            if (!next[i].current(transports)) {
                Candidate again = resolver.resolve(peer, next[i].spec());
                if (again.usable() && !next[i].usable()) {
                    firstNewlyUsable = Math.min(firstNewlyUsable, i);
                }
                next[i] = again;
            }
        }
        candidates = next;
        if (learned != null && transports.binding(learned.transport()) != learnedVia) {
            EndpointSpec text = specOf(learned); // the endpoint went with its binding; its text waits for the next one
            forgetLearned();
            learnedWaiting = text;
        }
        if (learned == null && learnedWaiting != null) {
            TransportBindings.Active by = transports.active(learnedWaiting.transport());
            if (by != null) {
                Candidate again = resolver.resolve(peer, learnedWaiting);
                learnedWaiting = null;
                if (again.usable()) {
                    learned = again.endpoint();
                    learnedVia = by.binding();
                }
            }
        }
        if (learned != null && firstNewlyUsable < rank(learned.transport())) {
            forgetLearned(); // the peer prefers the transport that just appeared
        }
        choose();
    }

    /**
     * Roaming: called only after the engine authenticated a datagram from {@code source}. Takes no lock and
     * allocates nothing unless the peer moved.
     */
    void authenticatedFrom(Endpoint source, TransportBinding via) {
        if (source.equals(current)) {
            return;
        }
        synchronized (this) {
            learned = source;
            learnedVia = via;
            learnedWaiting = null;
            choose();
        }
    }

    synchronized List<CandidateStatus> status() {
        List<CandidateStatus> out = new ArrayList<>(candidates.length);
        for (Candidate c : candidates) {
            out.add(c.status());
        }
        return out;
    }

    private void choose() {
        Endpoint next = learned;
        boolean waiting = learnedWaiting != null;
        for (Candidate c : candidates) {
            if (next == null && c.usable()) {
                next = c.endpoint();
            }
            waiting |= c.state() == CandidateStatus.State.WAITING;
        }
        current = next;
        waitingForTransport = next == null && waiting;
    }

    private void forgetLearned() {
        learned = null;
        learnedVia = null;
        learnedWaiting = null;
    }

    /** Position of the first candidate of {@code transport}; after all of them when it has none. */
    private int rank(String transport) {
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i].spec().transport().equals(transport)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private List<EndpointSpec> specs() {
        List<EndpointSpec> specs = new ArrayList<>(candidates.length);
        for (Candidate c : candidates) {
            specs.add(c.spec());
        }
        return specs;
    }

    private Candidate find(EndpointSpec spec) {
        for (Candidate c : candidates) {
            if (c.spec().equals(spec)) {
                return c;
            }
        }
        return null;
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
