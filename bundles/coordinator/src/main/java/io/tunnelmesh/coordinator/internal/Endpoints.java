package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.HostPort;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's endpoint list as peers get it: first the address the coordinator saw its connection come from with
 * the node's listen port (what works through a simple NAT), then what the node reported, deduplicated.
 * Reported entries are the node's word, passed on to every peer, so only well-formed {@code HOST:PORT}s are
 * kept, and at most {@link #MAX} of them.
 */
final class Endpoints {
    static final int MAX = 16;

    private Endpoints() {
    }

    static List<String> merge(InetAddress observed, int listenPort, List<String> reported) {
        List<String> out = new ArrayList<>();
        if (observed != null && listenPort >= 1 && listenPort <= 65535) {
            out.add(HostPort.format(observed, listenPort));
        }
        for (String endpoint : reported) {
            if (out.size() >= MAX) {
                break;
            }
            if (endpoint != null && isHostPort(endpoint) && !out.contains(endpoint)) {
                out.add(endpoint);
            }
        }
        return List.copyOf(out);
    }

    /** True for {@code HOST:PORT} text that a token or an endpoint list may carry. */
    static boolean isHostPort(String text) {
        try {
            HostPort.parse(text, "address", 7443);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
