package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the properties of one peer configuration ({@code config/io.tunnelmesh.peer-NAME.cfg}) into a
 * {@link PeerConfig}. Errors name the property and the value.
 */
final class PeerProperties {
    static final String PUBLIC_KEY = "public.key";
    static final String ENDPOINT = "endpoint";
    static final String ALLOWED_IPS = "allowed.ips";
    static final String KEEPALIVE = "persistent.keepalive";

    private PeerProperties() {
    }

    static PeerConfig parse(Map<String, ?> properties) {
        String key = text(properties, PUBLIC_KEY);
        if (key.isEmpty()) {
            throw new IllegalArgumentException(PUBLIC_KEY + " is missing: set it to the peer's public key, as `tunnelmesh pubkey` or `wg pubkey` prints it");
        }
        NodeKey publicKey;
        try {
            publicKey = NodeKey.parse(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PUBLIC_KEY + ": " + e.getMessage());
        }
        List<EndpointSpec> endpoints = EndpointSpec.parseList(text(properties, ENDPOINT));
        List<IpPrefix> allowed = new ArrayList<>();
        for (String part : text(properties, ALLOWED_IPS).split(",")) {
            if (!part.isBlank()) {
                try {
                    allowed.add(IpPrefix.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(ALLOWED_IPS + ": " + e.getMessage());
                }
            }
        }
        return new PeerConfig(publicKey, endpoints, allowed, keepalive(text(properties, KEEPALIVE)));
    }

    private static int keepalive(String text) {
        if (text.isEmpty() || text.equalsIgnoreCase("off")) {
            return 0;
        }
        try {
            int seconds = Integer.parseInt(text);
            if (seconds >= 0 && seconds <= 65535) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // falls through to the error naming the property
        }
        throw new IllegalArgumentException(KEEPALIVE + " '" + text + "' is not valid: use off, 0 or 1-65535 seconds (25 keeps NAT mappings open)");
    }

    private static String text(Map<String, ?> properties, String name) {
        Object v = properties.get(name);
        if (v instanceof String[] array) {
            return String.join(",", array).strip();
        }
        return v == null ? "" : String.valueOf(v).strip();
    }
}
