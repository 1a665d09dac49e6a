package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.stun.Stun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The coordinator's settings after merging configuration PID {@code io.tunnelmesh.coordinator} with the
 * command-line overrides of {@code bin/tunnelmesh coordinator} (framework properties, which win). Parsing fails
 * with one line naming the property, its value and what to write instead.
 *
 * @param advertise empty = work it out from the listen address and the interfaces ({@link AdvertisedAddresses})
 * @param stunPort  UDP port of the STUN responder on all addresses; 0 = no responder
 */
public record CoordinatorSettings(InetSocketAddress listen, IpPrefix meshCidr, List<String> advertise,
        Path authorizedKeys, int stunPort) {
    public static final String PID = "io.tunnelmesh.coordinator";
    static final String DEFAULT_LISTEN = "0.0.0.0:7443";
    static final String DEFAULT_MESH_CIDR = "100.64.0.0/16";
    /** Configuration property → framework property of {@code bin/tunnelmesh coordinator} that overrides it. */
    static final Map<String, String> OVERRIDES = Map.of(
            "listen", "tm.coordinator.listen",
            "mesh.cidr", "tm.coordinator.mesh-cidr",
            "stun.port", "tm.coordinator.stun-port");

    /**
     * @param config    the component's configuration properties
     * @param framework framework property lookup (BundleContext::getProperty)
     * @throws IllegalArgumentException one line naming the property, the value and what to write
     */
    public static CoordinatorSettings parse(Map<String, ?> config, Function<String, String> framework) {
        Source listen = pick("listen", config, framework);
        Source cidr = pick("mesh.cidr", config, framework);
        Source advertise = pick("advertise", config, framework);
        Source keys = pick("authorized.keys", config, framework);
        Source stun = pick("stun.port", config, framework);

        InetSocketAddress listenAddress = listenAddress(listen.orDefault(DEFAULT_LISTEN), listen);
        IpPrefix mesh;
        try {
            mesh = IpPrefix.parse(cidr.orDefault(DEFAULT_MESH_CIDR));
        } catch (IllegalArgumentException e) {
            throw cidr.bad("use an IPv4 range such as 100.64.0.0/16");
        }
        if (mesh.isIpv6() || mesh.length() > 30 || mesh.length() < 8) {
            throw cidr.bad("use an IPv4 range from /8 to /30, such as 100.64.0.0/16");
        }
        List<String> advertised = new ArrayList<>();
        for (String part : advertise.text.split(",")) {
            if (!part.isBlank()) {
                String address = part.trim();
                if (!Endpoints.isHostPort(address)) {
                    throw advertise.bad("use comma-separated HOST:PORT, e.g. coord.example.net:7443,[2001:db8::1]:7443");
                }
                advertised.add(address);
            }
        }
        if (advertised.size() > 8) {
            throw advertise.bad("a join token carries at most 8 addresses");
        }
        Path authorized;
        if (keys.text.isEmpty()) {
            String configDir = framework.apply("tm.config");
            authorized = Path.of(configDir == null ? "config" : configDir, "authorized_keys");
        } else {
            authorized = Path.of(keys.text);
        }
        int stunPort;
        try {
            stunPort = Integer.parseInt(stun.orDefault(Integer.toString(Stun.DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            stunPort = -1;
        }
        if (stunPort < 0 || stunPort > 65535) {
            throw stun.bad("use a UDP port 1-65535, or 0 for no STUN responder (default " + Stun.DEFAULT_PORT + ")");
        }
        return new CoordinatorSettings(listenAddress, mesh, List.copyOf(advertised), authorized, stunPort);
    }

    private static InetSocketAddress listenAddress(String text, Source source) {
        String what = "use IP:PORT (port 0 = any free one), e.g. 0.0.0.0:7443 or [::]:7443";
        HostPort listen;
        try {
            listen = HostPort.parseListen(text, "listen", 7443);
        } catch (IllegalArgumentException e) {
            throw source.bad(what);
        }
        if (!listen.isIpLiteral()) {
            throw source.bad(what); // a name could resolve to an address of another machine
        }
        return listen.resolve(); // a literal: no DNS lookup
    }

    private static Source pick(String property, Map<String, ?> config, Function<String, String> framework) {
        String override = OVERRIDES.get(property);
        if (override != null) {
            String value = framework.apply(override);
            if (value != null && !value.isBlank()) {
                return new Source("framework property " + override, value.trim());
            }
        }
        Object value = config.get(property);
        return new Source("configuration property " + property + " (" + PID + ")",
                value == null ? "" : value.toString().trim());
    }

    private record Source(String where, String text) {
        String orDefault(String fallback) {
            return text.isEmpty() ? fallback : text;
        }

        IllegalArgumentException bad(String advice) {
            return new IllegalArgumentException(where + " = '" + text + "' is not valid: " + advice);
        }
    }
}
