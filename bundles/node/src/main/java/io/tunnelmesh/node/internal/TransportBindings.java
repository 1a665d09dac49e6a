package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open transports, one binding per transport name. Transport services come and go while packets flow
 * (hot replace): the control side binds and closes them here, the packet threads look bindings up by name
 * in an array published through a volatile field. When a bind fails (e.g. the old socket is not closed yet)
 * it is retried from the timer thread.
 */
final class TransportBindings {
    private record Active(String name, Transport transport, TransportBinding binding) {
    }

    private static final Active[] NONE = new Active[0];

    private final int udpListenPort;
    /**
     * With listen port 0, the port the udp transport got the first time: a replaced transport asks for it
     * again, so peers keep reaching us at the endpoint they know.
     */
    private int udpPortInUse;
    private final ComponentLog log;
    /** Every transport service offered, in arrival order; the first of a name that binds wins. */
    private final Map<Transport, String> offered = new LinkedHashMap<>();
    private final Map<String, String> bindErrors = new LinkedHashMap<>();
    private volatile Active[] active = NONE;
    /** Set by {@link #open}: nothing is bound before the node can receive. */
    private DatagramReceiver receiver;
    private boolean closed;

    TransportBindings(int udpListenPort, ComponentLog log) {
        this.udpListenPort = udpListenPort;
        this.log = log;
    }

    /** Starts binding the offered transports, delivering what they receive to {@code into}. */
    synchronized void open(DatagramReceiver into) {
        this.receiver = into;
        bindMissing();
    }

    synchronized void offer(Transport transport, String name) {
        offered.put(transport, name == null || name.isBlank() ? transport.name() : name);
        bindMissing();
    }

    synchronized void withdraw(Transport transport) {
        offered.remove(transport);
        List<Active> kept = new ArrayList<>();
        for (Active a : active) {
            if (a.transport == transport) {
                closeQuietly(a);
                log.info("transport " + a.name + " closed (service went away)");
            } else {
                kept.add(a);
            }
        }
        active = kept.toArray(NONE);
        bindMissing();
    }

    /** Binds every offered transport whose name has no binding yet; called on changes and periodically. */
    synchronized void bindMissing() {
        if (closed || receiver == null) {
            return;
        }
        for (Map.Entry<Transport, String> e : offered.entrySet()) {
            String name = e.getValue();
            if (binding(name) != null) {
                continue;
            }
            boolean udp = Endpoint.UDP.equals(name);
            int port = !udp ? 0 : udpListenPort != 0 ? udpListenPort : udpPortInUse;
            try {
                TransportBinding b = e.getKey().bind(new TransportOptions(port), receiver);
                if (udp && udpListenPort == 0) {
                    udpPortInUse = b.localAddress().getPort();
                }
                List<Active> next = new ArrayList<>(List.of(active));
                next.add(new Active(name, e.getKey(), b));
                active = next.toArray(NONE);
                bindErrors.remove(name);
                log.info("transport " + name + " bound on " + b.localAddress());
            } catch (IOException | RuntimeException ex) {
                if (udp && udpListenPort == 0) {
                    udpPortInUse = 0; // taken meanwhile: any free port next time
                }
                String message = "transport " + name + ": " + ex.getMessage();
                if (!message.equals(bindErrors.put(name, message))) {
                    log.error(message + " (retrying every second)");
                }
            }
        }
    }

    /** The binding for endpoints naming {@code name}, or null. Hot path: no allocation. */
    TransportBinding binding(String name) {
        Active a = active(name);
        return a == null ? null : a.binding;
    }

    private Active active(String name) {
        for (Active a : active) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** Sends what this thread queued on every binding. */
    void flushAll() {
        for (Active a : active) {
            a.binding.flush();
        }
    }

    /** The actual port of the {@code udp} binding, or -1. */
    int udpPort() {
        TransportBinding b = binding(Endpoint.UDP);
        return b == null ? -1 : b.localAddress().getPort();
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        for (Active a : active) {
            names.add(a.name);
        }
        return names;
    }

    long transportDrops() {
        long n = 0;
        for (Active a : active) {
            n += a.binding.dropped();
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
            a.binding.close();
        } catch (RuntimeException e) {
            log.warn("transport " + a.name + ": close failed: " + e.getMessage());
        }
    }
}
