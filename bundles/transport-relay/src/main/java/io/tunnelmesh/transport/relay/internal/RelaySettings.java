package io.tunnelmesh.transport.relay.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay servers this node knows and the send queue's size. Servers come from two places: the coordinator link
 * ({@code coordinator.servers}, every address of the coordinator this node joined with the coordinator's key, which
 * the link publishes in its own configuration), so nothing is needed after a join, and this transport's own
 * {@code servers} for relays elsewhere.
 *
 * @param servers    by resolved address
 * @param queueBytes frames one link may hold before its socket takes them; beyond, {@code send} drops
 * @param problems   one line per server that could not be used (logged, the others still work)
 */
record RelaySettings(Map<InetSocketAddress, RelayServer> servers, int queueBytes, List<String> problems) {
    static final String SERVERS = "servers";
    static final String USE_COORDINATOR = "use.coordinator";
    static final String QUEUE_BYTES = "queue.bytes";
    static final String COORDINATOR_SERVERS = "coordinator.servers";
    static final int DEFAULT_PORT = 7443;
    /**
     * 256 KiB: measured with bench/relay (iperf3 through the relay, one stream) against 128 KiB and 1 MiB; a deeper
     * queue let the tunnelled TCP lose whole bursts late, a shallower one cut it back too often.
     */
    static final int DEFAULT_QUEUE_BYTES = 256 << 10;

    /** @throws IllegalArgumentException one line naming the setting and what to write instead */
    static RelaySettings parse(Map<String, ?> properties) {
        Map<InetSocketAddress, RelayServer> servers = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        addAll(servers, problems, SERVERS, properties.get(SERVERS));
        if (!"false".equalsIgnoreCase(text(properties.get(USE_COORDINATOR)))) {
            addAll(servers, problems, COORDINATOR_SERVERS, properties.get(COORDINATOR_SERVERS));
        }
        int queue = DEFAULT_QUEUE_BYTES;
        String queueText = text(properties.get(QUEUE_BYTES));
        if (!queueText.isEmpty()) {
            try {
                queue = Integer.parseInt(queueText);
            } catch (NumberFormatException e) {
                queue = -1;
            }
            if (queue < 65536 || queue > 64 << 20) {
                throw new IllegalArgumentException(QUEUE_BYTES + " '" + queueText + "' is not a number of bytes from 65536 to 67108864");
            }
        }
        return new RelaySettings(Map.copyOf(servers), queue, List.copyOf(problems));
    }

    /** The server {@code hostPort} names, matched by resolved address; null when it is not one of {@code servers}. */
    static RelayServer find(String hostPort, Map<InetSocketAddress, RelayServer> servers) {
        HostPort hp;
        try {
            hp = HostPort.parse(hostPort, "relay server", DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        InetSocketAddress address = hp.resolve();
        return address.isUnresolved() ? null : servers.get(address);
    }

    /** Adds every {@code HOST:PORT=KEY} of the comma-separated setting {@code name}. */
    private static void addAll(Map<InetSocketAddress, RelayServer> servers, List<String> problems, String name, Object value) {
        for (String entry : list(value)) {
            int eq = entry.lastIndexOf('=', entry.length() - 2); // base64 keys end in '='
            if (eq <= 0) {
                throw new IllegalArgumentException(name + ": '" + entry + "' is not HOST:PORT=KEY (KEY the relay"
                        + " server's base64 public key, as 'public key:' in the coordinator's tm:coordinator)");
            }
            add(servers, problems, entry.substring(0, eq), key(entry.substring(eq + 1), name + " entry '" + entry + "'"));
        }
    }

    private static void add(Map<InetSocketAddress, RelayServer> servers, List<String> problems, String text, NodeKey key) {
        HostPort hp = HostPort.parse(text.strip(), "relay server", DEFAULT_PORT);
        InetSocketAddress address = hp.resolve();
        if (address.isUnresolved()) {
            problems.add("relay server " + hp + ": cannot resolve host '" + hp.host() + "'; endpoints through it wait");
            return;
        }
        servers.putIfAbsent(address, new RelayServer(hp, address, key));
    }

    private static NodeKey key(String text, String what) {
        try {
            return NodeKey.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": '" + text.strip() + "' is not a base64 32-byte public key");
        }
    }

    private static List<String> list(Object value) {
        List<String> out = new ArrayList<>();
        for (String part : text(value).split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private static String text(Object value) {
        if (value instanceof String[] array) {
            return String.join(",", array).strip();
        }
        return value == null ? "" : value.toString().strip();
    }
}
