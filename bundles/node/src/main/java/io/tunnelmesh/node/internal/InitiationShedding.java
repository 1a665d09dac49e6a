package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.support.log.ComponentLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts that go on flooding after {@link HandshakeAdmission} stopped admitting them: their transport drops their
 * initiations itself for {@link #SHED_NANOS} ({@link TransportBinding#shedInitiationsFrom}; on UDP a socket filter),
 * which costs the kernel less than receiving them costs the node, and keeps single datagrams from crowding out the
 * data on the receive thread (bench/dataplane/flood.sh). Afterwards such a host is admitted again like anyone, and
 * shed again once it floods. A transport that cannot shed leaves the dropping to the admission, as before.
 */
final class InitiationShedding {
    /**
     * Each time a shed lapses, the flood reaches the node for a few milliseconds: the datagrams its socket held,
     * Diffie-Hellman for what queued before the node was under load again, and the UDP transport's GRO off for a
     * second (single datagrams); so a long flood costs in proportion to how often it lapses. A peer behind the
     * flooder's address gets no handshake through during a flood either way (the flood takes its host's share).
     */
    static final long SHED_SECONDS = 10;
    static final long SHED_NANOS = TimeUnit.SECONDS.toNanos(SHED_SECONDS);

    private record Shed(Endpoint source, long untilNanos) {
    }

    private final Map<TransportBinding, Map<HandshakeAdmission.Host, Shed>> shed = new HashMap<>();
    private final ComponentLog log;
    /** A flood goes on for minutes and is shed again each time a shed lapses: the operator hears of it once a minute. */
    private final OncePerMinute floodNotice = new OncePerMinute();

    InitiationShedding(ComponentLog log) {
        this.log = log;
    }

    /** Has {@code via} drop the initiations of {@code host} (whose datagrams come from {@code source}). */
    synchronized void shed(HandshakeAdmission.Host host, Endpoint source, TransportBinding via, long nowNanos) {
        Map<HandshakeAdmission.Host, Shed> hosts = shed.computeIfAbsent(via, v -> new HashMap<>());
        hosts.put(host, new Shed(source, nowNanos + SHED_NANOS));
        if (!tell(via, hosts)) {
            hosts.remove(host);
            if (hosts.isEmpty()) {
                shed.remove(via);
            }
        } else if (floodNotice.due(nowNanos)) {
            log.info("handshake flood from " + source + ": its " + via.transportName() + " transport drops its"
                    + " initiations for " + SHED_SECONDS + " s at a time while it goes on (" + hosts.size() + " host(s) shed now)."
                    + " Said at most once a minute.");
        }
    }

    /** Lets hosts whose time is up in again; called about once a second. */
    synchronized void expire(long nowNanos) {
        for (Iterator<Map.Entry<TransportBinding, Map<HandshakeAdmission.Host, Shed>>> it = shed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TransportBinding, Map<HandshakeAdmission.Host, Shed>> e = it.next();
            if (e.getValue().values().removeIf(s -> nowNanos - s.untilNanos >= 0)) {
                tell(e.getKey(), e.getValue());
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    private static boolean tell(TransportBinding via, Map<HandshakeAdmission.Host, Shed> hosts) {
        List<Endpoint> sources = new ArrayList<>(hosts.size());
        for (Shed s : hosts.values()) {
            sources.add(s.source);
        }
        return via.shedInitiationsFrom(sources);
    }
}
