package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.transport.EndpointDiscovery;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.support.log.ComponentLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * This node's reflexive addresses: what the STUN servers of {@link StunServers} see of the UDP transport's socket,
 * asked through the transport's {@link EndpointDiscovery} (when the udp transport offers one) at most every
 * interval while connected. Driven from the link's thread; the answer arrives on the transport's.
 */
final class ReflexiveEndpoints {
    /** As often as a WireGuard keepalive: a NAT keeps the mapping alive and a changed one is noticed soon. */
    static final Duration INTERVAL = Duration.ofSeconds(25);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String UDP_PREFIX = "udp:";

    private final Supplier<EndpointDiscovery> discovery;
    private final StunServers servers;
    private final Duration interval;
    private final ComponentLog log;
    private volatile List<String> latest = List.of();
    private Instant next = Instant.MIN;
    private volatile boolean running;
    private String lastProblem;

    ReflexiveEndpoints(Supplier<EndpointDiscovery> discovery, StunServers servers, Duration interval, ComponentLog log) {
        this.discovery = discovery;
        this.servers = servers;
        this.interval = interval;
        this.log = log;
    }

    /** Ask at once on the next {@link #refresh}: a new session may come from a new address. */
    void askSoon() {
        next = Instant.MIN;
    }

    /** Starts a discovery when one is due and none is running. */
    void refresh(HostPort coordinator, Instant now) {
        EndpointDiscovery udp = discovery.get();
        if (running || now.isBefore(next) || udp == null || servers.entries().isEmpty()) {
            return;
        }
        next = now.plus(interval);
        try {
            running = true;
            udp.discover(servers.resolve(coordinator), TIMEOUT).whenComplete((found, failure) -> {
                if (found != null) {
                    latest = hostPorts(found);
                }
                running = false;
            });
        } catch (RuntimeException e) {
            running = false;
            String problem = e.getMessage();
            if (!String.valueOf(problem).equals(lastProblem)) {
                log.warn("coordinator link: endpoint discovery failed: " + problem);
            }
            lastProblem = problem;
        }
    }

    /** The reflexive {@code HOST:PORT}s last found (empty until one answered, or when none did). */
    List<String> current() {
        return latest;
    }

    /**
     * The report with the reflexive endpoints first: they were seen from outside, so they work from anywhere a
     * peer may be, and the coordinator keeps only the first {@code MAX} entries.
     */
    static EndpointsReport withReflexive(EndpointsReport local, List<String> reflexive) {
        if (reflexive.isEmpty()) {
            return local;
        }
        List<String> endpoints = new ArrayList<>(reflexive);
        for (String endpoint : local.endpoints()) {
            if (!endpoints.contains(endpoint)) {
                endpoints.add(endpoint);
            }
        }
        return new EndpointsReport(local.listenPort(), endpoints);
    }

    /** {@code udp:HOST:PORT} → {@code HOST:PORT}, the form the coordinator keeps; anything else is left out. */
    private static List<String> hostPorts(List<String> endpoints) {
        return endpoints.stream().filter(e -> e.startsWith(UDP_PREFIX)).map(e -> e.substring(UDP_PREFIX.length())).distinct().toList();
    }
}
