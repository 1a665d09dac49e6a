package io.tunnelmesh.e2e.harness;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node that joined a mesh: its namespace, its installation, the name it joined with and the IPv4 and IPv6 mesh
 * addresses {@code join} printed.
 */
public record MeshMember(String name, NetworkNamespace ns, TunnelMeshInstall node, String ipv4, String ipv6) {
    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?![\\d.])");
    /** A unique local address (fc00::/7, in practice fdXX:…), the mesh's per-mesh IPv6 prefix. */
    private static final Pattern ULA = Pattern.compile("(?i)(?<![0-9a-f:])(f[cd][0-9a-f]{2}:[0-9a-f:]*[0-9a-f])");

    /**
     * Reads the mesh addresses from {@code join}'s output: the IPv4 address inside {@code meshCidr} and the first
     * unique local IPv6 address (the underlay is IPv4, so no other address of that kind appears). Fails, quoting the
     * output, when {@code join} did not print the name or either address.
     */
    public static MeshMember fromJoinOutput(String name, NetworkNamespace ns, TunnelMeshInstall node, String output,
            String meshCidr) {
        if (!output.contains(name)) {
            throw new AssertionError(name + ": join did not print the node's name\n--- output ---\n" + output);
        }
        String ipv4 = null;
        Matcher m4 = IPV4.matcher(output);
        while (ipv4 == null && m4.find()) {
            if (inCidr(m4.group(1), meshCidr)) {
                ipv4 = m4.group(1);
            }
        }
        Matcher m6 = ULA.matcher(output);
        String ipv6 = m6.find() ? m6.group(1) : null;
        if (ipv4 == null || ipv6 == null) {
            throw new AssertionError(name + ": join printed no " + (ipv4 == null ? "IPv4 address in " + meshCidr : "")
                    + (ipv4 == null && ipv6 == null ? " and no " : "") + (ipv6 == null ? "IPv6 ULA address" : "")
                    + "\n--- output ---\n" + output);
        }
        return new MeshMember(name, ns, node, ipv4, ipv6);
    }

    static boolean inCidr(String address, String cidr) {
        String[] parts = cidr.split("/");
        int length = Integer.parseInt(parts[1]);
        long mask = length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
        long a = toLong(address);
        return a >= 0 && (a & mask) == (toLong(parts[0]) & mask);
    }

    private static long toLong(String dotted) {
        long value = 0;
        for (String octet : dotted.split("\\.")) {
            int o = Integer.parseInt(octet);
            if (o > 255) {
                return -1;
            }
            value = value << 8 | o;
        }
        return value;
    }

    /** {@code tm:peers}, {@code tm:status} and {@code tm:coordinator} of this node, for failure messages. */
    public String diagnostics() {
        return "--- " + name + " tm:peers ---\n" + node.tryShell("tm:peers").stdout() + "--- " + name
                + " tm:status ---\n" + node.tryShell("tm:status").stdout() + "--- " + name + " tm:coordinator ---\n"
                + node.tryShell("tm:coordinator").stdout() + node.daemonTail();
    }

    @Override
    public String toString() {
        return name + " (" + ipv4 + ", " + ipv6 + ")";
    }
}
