package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.tun.TunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The node's settings after merging configuration PID {@code io.tunnelmesh.node} with the command-line
 * overrides of {@code bin/tunnelmesh up} (framework properties {@code tm.up.*}, which win). Parsing fails
 * with one line naming the property, its value and what to write instead.
 *
 * @param pskFile null when no mesh pre-shared key is configured
 */
record NodeSettings(String interfaceName, List<IpPrefix> addresses, int listenPort, int mtu, Path pskFile) {
    static final String PID = "io.tunnelmesh.node";
    static final String DEFAULT_INTERFACE = "tm0";
    static final int DEFAULT_LISTEN_PORT = 51820;
    /** Command-line override (framework property) → configuration property it replaces. */
    static final Map<String, String> OVERRIDES = Map.of(
            "tm.up.interface", "interface.name",
            "tm.up.address", "address",
            "tm.up.listen-port", "listen.port",
            "tm.up.psk-file", "psk.file");

    /**
     * @param config    the component's configuration properties
     * @param framework framework property lookup (BundleContext::getProperty), for the overrides
     */
    static NodeSettings parse(Map<String, ?> config, Function<String, String> framework) {
        Source name = pick("interface.name", config, framework);
        Source address = pick("address", config, framework);
        Source port = pick("listen.port", config, framework);
        Source mtu = pick("mtu", config, framework);
        Source psk = pick("psk.file", config, framework);

        String ifName = name.text.isEmpty() ? DEFAULT_INTERFACE : name.text;
        if (ifName.length() > 15 || !ifName.matches("[A-Za-z0-9_.-]+")) {
            throw name.bad("use 1-15 letters, digits, '-', '_' or '.', e.g. tm0");
        }
        List<IpPrefix> addresses = new ArrayList<>();
        for (String part : address.text.split(",")) {
            if (!part.isBlank()) {
                try {
                    addresses.add(IpPrefix.parse(part));
                } catch (IllegalArgumentException e) {
                    throw address.bad(e.getMessage());
                }
            }
        }
        int listenPort = number(port, DEFAULT_LISTEN_PORT, 0, 65535, "use 0 (any free port) or 1-65535, e.g. 51820");
        int mtuValue = number(mtu, TunConfig.DEFAULT_MTU, 576, 65535, "use 576-65535 (default 1420)");
        Path pskFile = psk.text.isEmpty() ? null : Path.of(psk.text);
        return new NodeSettings(ifName, List.copyOf(addresses), listenPort, mtuValue, pskFile);
    }

    /** Whether {@code next} differs from these settings in the addresses alone (which a device can change in place). */
    boolean differsOnlyInAddresses(NodeSettings next) {
        return !addresses.equals(next.addresses) && equals(new NodeSettings(next.interfaceName, addresses, next.listenPort,
                next.mtu, next.pskFile));
    }

    /**
     * Queue length 10000: with the kernel's 500 (and still with 1000) a TUN drops bursts here while the reader
     * thread wakes up (measured, shared/notes/test-hosts.md).
     */
    TunConfig tunConfig() {
        return new TunConfig(interfaceName, addresses, mtu, TUN_QUEUE_LENGTH);
    }

    static final int TUN_QUEUE_LENGTH = 10_000;

    /** Reads the mesh key from {@link #pskFile()}: 32 bytes in base64 as {@code wg genpsk} writes them. */
    PresharedKey loadPsk() {
        if (pskFile == null) {
            return PresharedKey.none();
        }
        String text;
        try {
            text = Files.readString(pskFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("psk.file " + pskFile + " does not exist: create it with `wg genpsk > "
                    + pskFile + "` and give every node of the mesh the same file");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("psk.file " + pskFile + " cannot be read: " + e.getMessage());
        }
        try {
            return PresharedKey.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("psk.file " + pskFile + ": " + e.getMessage());
        }
    }

    /** A property value and where it came from, for error lines. */
    private record Source(String origin, String text) {
        IllegalArgumentException bad(String hint) {
            return new IllegalArgumentException(origin + " '" + text + "' is not valid: " + hint);
        }
    }

    private static Source pick(String property, Map<String, ?> config, Function<String, String> framework) {
        for (Map.Entry<String, String> o : OVERRIDES.entrySet()) {
            if (o.getValue().equals(property)) {
                String v = framework.apply(o.getKey());
                if (v != null && !v.isBlank()) {
                    return new Source("--" + o.getKey().substring("tm.up.".length()) + " (" + o.getKey() + ")", v.strip());
                }
            }
        }
        Object v = config.get(property);
        String text = v == null ? "" : v instanceof String[] a ? String.join(",", a) : String.valueOf(v).strip();
        return new Source(PID + " " + property, text);
    }

    private static int number(Source s, int absent, int min, int max, String hint) {
        if (s.text.isEmpty()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(s.text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error naming the property
        }
        throw s.bad(hint);
    }
}
