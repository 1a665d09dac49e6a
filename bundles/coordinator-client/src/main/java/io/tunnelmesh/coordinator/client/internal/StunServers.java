package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which STUN servers the link asks ({@code stun.servers}, comma separated): {@code coordinator} (or
 * {@code coordinator:PORT}) stands for the host of the coordinator connected to, on port 3478 unless given; any
 * other entry is a {@code HOST:PORT}. The default asks only the coordinator; {@code coordinator,stun.example.org:3478}
 * adds a server, {@code stun.example.org:3478} replaces it, an empty value turns discovery off.
 */
record StunServers(List<String> entries) {
    static final String KEY = "stun.servers";
    static final String COORDINATOR = "coordinator";
    static final int DEFAULT_PORT = 3478;
    static final StunServers DEFAULT = new StunServers(List.of(COORDINATOR));

    StunServers {
        entries = List.copyOf(entries);
    }

    /** @throws IllegalArgumentException one line naming the entry and what to write */
    static StunServers parse(Map<String, ?> properties) {
        Object value = properties.get(KEY);
        if (value == null) {
            return DEFAULT;
        }
        String text = value instanceof String[] array ? String.join(",", array) : value.toString();
        List<String> entries = new ArrayList<>();
        for (String part : text.split(",")) {
            String entry = part.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (!entry.equals(COORDINATOR)) {
                String server = entry.startsWith(COORDINATOR + ":") ? "127.0.0.1" + entry.substring(COORDINATOR.length()) : entry;
                try {
                    HostPort.parse(server, KEY + " entry", DEFAULT_PORT);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("config/" + LinkSettings.PID + ".cfg: " + e.getMessage()
                            + ", or 'coordinator' for the coordinator's own STUN responder");
                }
            }
            entries.add(entry);
        }
        return new StunServers(entries);
    }

    /** The {@code HOST:PORT}s to ask while connected to {@code coordinator}. */
    List<String> resolve(HostPort coordinator) {
        List<String> out = new ArrayList<>(entries.size());
        for (String entry : entries) {
            if (entry.equals(COORDINATOR)) {
                out.add(new HostPort(coordinator.host(), DEFAULT_PORT).toString());
            } else if (entry.startsWith(COORDINATOR + ":")) {
                out.add(new HostPort(coordinator.host(), Integer.parseInt(entry.substring(COORDINATOR.length() + 1))).toString());
            } else {
                out.add(entry);
            }
        }
        return out;
    }
}
