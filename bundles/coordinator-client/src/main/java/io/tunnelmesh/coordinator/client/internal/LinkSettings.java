package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.NodeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The link's configuration ({@code config/io.tunnelmesh.coordinator.client.cfg}, written by {@code tm:join}): the
 * coordinator's key, where it listens, and the name it gave this node.
 */
record LinkSettings(NodeKey coordinatorKey, List<HostPort> addresses, String name) {
    static final String PID = "io.tunnelmesh.coordinator.client";
    static final String KEY = "coordinator.key";
    static final String ADDRESSES = "coordinator.addresses";
    static final String NAME = "name";

    LinkSettings {
        addresses = List.copyOf(addresses);
    }

    /** @throws IllegalArgumentException one line naming the file, the key and what to do */
    static LinkSettings parse(Map<String, ?> properties) {
        String keyText = text(properties.get(KEY));
        if (keyText.isEmpty()) {
            throw bad(KEY + " is missing");
        }
        NodeKey key;
        try {
            key = NodeKey.parse(keyText);
        } catch (IllegalArgumentException e) {
            throw bad(KEY + " '" + keyText + "' is not a base64 32-byte key (" + e.getMessage() + ")");
        }
        List<HostPort> addresses = new ArrayList<>();
        for (String part : text(properties.get(ADDRESSES)).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                addresses.add(HostPort.parse(part, "coordinator address", 7443));
            } catch (IllegalArgumentException e) {
                throw bad(ADDRESSES + ": " + e.getMessage());
            }
        }
        if (addresses.isEmpty()) {
            throw bad(ADDRESSES + " is missing: it lists the coordinator's HOST:PORTs, comma separated");
        }
        String name = text(properties.get(NAME));
        return new LinkSettings(key, addresses, name.isEmpty() ? null : name);
    }

    private static String text(Object value) {
        if (value instanceof String[] array) {
            return String.join(",", array).strip();
        }
        return value == null ? "" : value.toString().strip();
    }

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("config/" + PID + ".cfg: " + what
                + "; run 'tunnelmesh join TOKEN' again to rewrite it");
    }
}
