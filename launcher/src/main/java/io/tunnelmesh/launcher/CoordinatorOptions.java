package io.tunnelmesh.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flags of {@code tunnelmesh coordinator}. Like {@code up}'s, they reach the coordinator as framework properties
 * ({@code tm.coordinator.*}) that override its ConfigAdmin configuration, so no file is rewritten.
 */
record CoordinatorOptions(Map<String, String> frameworkProperties) {
    static CoordinatorOptions parse(List<String> args) throws UsageException, CliFailure {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            String key = switch (flag) {
                case "--listen" -> "tm.coordinator.listen";
                case "--mesh-cidr" -> "tm.coordinator.mesh-cidr";
                case "--stun-port" -> "tm.coordinator.stun-port";
                default -> throw new UsageException("coordinator: unknown option '" + flag + "'");
            };
            if (i + 1 >= args.size()) {
                throw new UsageException("coordinator: " + flag + " needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--listen" -> checkListen(value);
                case "--stun-port" -> checkStunPort(value);
                default -> checkMeshCidr(value);
            }
            props.put(key, value);
        }
        return new CoordinatorOptions(props);
    }

    /** HOST:PORT with a host name, an IPv4 address or a bracketed IPv6 address, as the join token carries it. */
    static void checkListen(String value) throws CliFailure {
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? "" : value.substring(0, colon);
        String port = colon < 0 ? "" : value.substring(colon + 1);
        boolean hostOk = host.matches("\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?]") || host.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
        if (!hostOk) {
            String why = host.contains(":") && !host.startsWith("[")
                    ? "put an IPv6 address in brackets, e.g. [::]:7443"
                    : "write it as HOST:PORT, e.g. 0.0.0.0:7443";
            throw new CliFailure("--listen '" + value + "' is not HOST:PORT: " + why, 2);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535) {
            throw new CliFailure("--listen '" + value + "' has no valid port: use 1-65535 (0 picks a free one), e.g. 0.0.0.0:7443", 2);
        }
    }

    /** The UDP port of the coordinator's STUN responder; 0 turns it off. */
    static void checkStunPort(String value) throws CliFailure {
        int port = value.matches("\\d{1,5}") ? Integer.parseInt(value) : -1;
        if (port < 0 || port > 65535) {
            throw new CliFailure("--stun-port '" + value + "' is not a UDP port: use 1-65535, or 0 for no STUN responder (default 3478)", 2);
        }
    }

    /** The IPv4 range the coordinator hands node addresses out of; the host bits must be zero. */
    static void checkMeshCidr(String value) throws CliFailure {
        String example = ": write it as ADDRESS/LENGTH, e.g. 100.64.0.0/16";
        if (!value.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            throw new CliFailure("--mesh-cidr '" + value + "' is not an IPv4 CIDR" + example, 2);
        }
        String[] parts = value.split("[./]");
        long address = 0;
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                throw new CliFailure("--mesh-cidr '" + value + "' is not an IPv4 CIDR (" + octet + " is more than 255)" + example, 2);
            }
            address = address << 8 | octet;
        }
        int length = Integer.parseInt(parts[4]);
        if (length < 8 || length > 30) {
            throw new CliFailure("--mesh-cidr '" + value + "': the prefix length must be 8-30, so the mesh has room for nodes"
                    + example, 2);
        }
        long hostMask = (1L << (32 - length)) - 1;
        if ((address & hostMask) != 0) {
            long network = address & ~hostMask & 0xFFFFFFFFL;
            throw new CliFailure("--mesh-cidr '" + value + "' has host bits set: did you mean "
                    + (network >> 24) + "." + (network >> 16 & 255) + "." + (network >> 8 & 255) + "." + (network & 255)
                    + "/" + length + "?", 2);
        }
    }
}
