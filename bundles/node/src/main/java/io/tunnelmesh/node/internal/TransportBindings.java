package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The open transports, one binding per transport name. Of several services with one name the one with the
 * highest {@code service.ranking} (on a tie the lowest {@code service.id}) is bound; when a better one comes the
 * bound one is closed first (they may want the same port), then the better one is bound, and when it goes the
 * next one is. Services come and go while packets flow (hot replace): the control side binds and closes them
 * here, the packet threads look bindings up by name in an array published through a volatile field. A failed
 * bind (e.g. the old socket is not closed yet) is retried from the timer thread.
 */
final class TransportBindings {
    /** One transport service as DS offered it. */
    record Offer(Transport transport, String name, int ranking, long serviceId) {
        static final Comparator<Offer> BEST_FIRST = Comparator.comparingInt(Offer::ranking).reversed()
                .thenComparingLong(Offer::serviceId);
    }

    /** A bound transport; a new instance for every bind, so endpoints resolved by an earlier one can tell. */
    record Active(String name, Transport transport, TransportBinding binding, int ranking) {
    }

    private static final Active[] NONE = new Active[0];

    private final int listenPort;
    /** With listen port 0, the port each transport name got first: a replacement asks for it again, so peers keep reaching us. */
    private final Map<String, Integer> portsInUse = new HashMap<>();
    private final ComponentLog log;
    private final Map<Transport, Offer> offered = new LinkedHashMap<>();
    private final Map<String, String> bindErrors = new LinkedHashMap<>();
    private volatile Active[] active = NONE;
    /** Set by {@link #open}: nothing is bound before the node can receive. */
    private DatagramReceiver receiver;
    private boolean closed;

    /** @param listenPort the configured port, given to every transport; 0 = any */
    TransportBindings(int listenPort, ComponentLog log) {
        this.listenPort = listenPort;
        this.log = log;
    }

    /** Starts binding the offered transports, delivering what they receive to {@code into}. @return whether any was bound */
    synchronized boolean open(DatagramReceiver into) {
        this.receiver = into;
        return reconcile();
    }

    /** Adds a service, or takes its new properties. @return whether a binding changed */
    synchronized boolean offer(Offer offer) {
        offered.put(offer.transport(), offer);
        return reconcile();
    }

    /** @return whether a binding changed */
    synchronized boolean withdraw(Transport transport) {
        Offer gone = offered.remove(transport);
        Active bound = gone == null ? null : active(gone.name());
        if (bound != null && bound.transport() == transport) {
            unbind(bound);
            log.info("transport " + bound.name() + " closed (service went away)");
        }
        if (gone != null && !offeredNames().contains(gone.name())) {
            bindErrors.remove(gone.name());
        }
        return reconcile() || bound != null;
    }

    /**
     * Binds the best service of every name that is not bound yet, replacing a worse one; called on changes and
     * once a second. @return whether a binding changed
     */
    synchronized boolean reconcile() {
        if (closed || receiver == null) {
            return false;
        }
        boolean changed = false;
        for (Active a : active) {
            Offer offer = offered.get(a.transport());
            if (offer == null || !offer.name().equals(a.name())) { // its service changed its transport.name
                unbind(a);
                changed = true;
            }
        }
        for (String name : offeredNames()) {
            Offer best = best(name);
            Active bound = active(name);
            if (bound != null && bound.transport() == best.transport()) {
                continue;
            }
            if (bound != null) {
                unbind(bound); // first: the better one may want the same port
                log.info("transport " + name + ": a service with service.ranking " + best.ranking()
                        + " replaces the one with " + bound.ranking());
                changed = true;
            }
            changed |= bind(best);
        }
        return changed;
    }

    private boolean bind(Offer offer) {
        String name = offer.name();
        int port = listenPort != 0 ? listenPort : portsInUse.getOrDefault(name, 0);
        try {
            TransportBinding b = offer.transport().bind(new TransportOptions(port), receiver);
            if (listenPort == 0 && b.listenPort() > 0) {
                portsInUse.put(name, b.listenPort());
            }
            List<Active> next = new ArrayList<>(List.of(active));
            next.add(new Active(name, offer.transport(), b, offer.ranking()));
            active = next.toArray(NONE);
            bindErrors.remove(name);
            log.info("transport " + name + " bound: " + b);
            return true;
        } catch (IOException | RuntimeException | LinkageError e) { // LinkageError: code of a replaced bundle's old revision
            if (listenPort == 0) {
                portsInUse.remove(name); // taken meanwhile: any free port next time
            }
            String message = "transport " + name + ": " + e.getMessage();
            if (!message.equals(bindErrors.put(name, message))) {
                log.error(message + " (retrying every second)");
            }
            return false;
        }
    }

    private void unbind(Active a) {
        List<Active> kept = new ArrayList<>(List.of(active));
        kept.remove(a);
        active = kept.toArray(NONE);
        closeQuietly(a);
    }

    private Set<String> offeredNames() {
        Set<String> names = new LinkedHashSet<>();
        offered.values().forEach(o -> names.add(o.name()));
        return names;
    }

    private Offer best(String name) {
        return offered.values().stream().filter(o -> o.name().equals(name)).min(Offer.BEST_FIRST).orElseThrow();
    }

    /** The binding for endpoints naming {@code name}, or null. Hot path: no allocation. */
    TransportBinding binding(String name) {
        Active a = active(name);
        return a == null ? null : a.binding();
    }

    /** The bound transport of {@code name}, or null. */
    Active active(String name) {
        for (Active a : active) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    boolean anyBound() {
        return active.length > 0;
    }

    /** Sends what this thread queued on every binding. */
    void flushAll() {
        for (Active a : active) {
            a.binding().flush();
        }
    }

    /** The port the binding of {@code name} listens on, or -1 when it is not bound. */
    int listenPort(String name) {
        TransportBinding b = binding(name);
        return b == null ? -1 : b.listenPort();
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Active a : active) {
            names.add(a.name());
        }
        return names;
    }

    /** {@code udp:51820,mem} — each bound transport with its port, for the "up" line. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (Active a : active) {
            int port = a.binding().listenPort();
            parts.add(port > 0 ? a.name() + ":" + port : a.name());
        }
        return String.join(",", parts);
    }

    long transportDrops() {
        long n = 0;
        for (Active a : active) {
            n += a.binding().dropped();
        }
        return n;
    }

    synchronized List<String> errors() {
        return List.copyOf(bindErrors.values());
    }

    synchronized void closeAll() {
        closed = true;
        for (Active a : active) {
            closeQuietly(a);
        }
        active = NONE;
    }

    private void closeQuietly(Active a) {
        try {
            a.binding().close();
        } catch (RuntimeException | LinkageError e) {
            log.warn("transport " + a.name() + ": close failed: " + e.getMessage());
        }
    }
}
