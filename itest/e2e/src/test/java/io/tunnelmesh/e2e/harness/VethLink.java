package io.tunnelmesh.e2e.harness;

import java.time.Duration;

/** A veth pair: one wire between two namespaces, with an address (IPv4 or IPv6) on each end. */
public record VethLink(NetworkNamespace left, String leftAddress, NetworkNamespace right, String rightAddress) {

    /**
     * @param leftCidr  e.g. {@code 192.168.77.1/24} or {@code fd78::1/64}
     * @param rightCidr e.g. {@code 192.168.77.2/24} or {@code fd78::2/64}
     */
    public static VethLink connect(ProcessRunner runner, NetworkNamespace left, String leftCidr,
            NetworkNamespace right, String rightCidr) {
        String leftIf = UniqueNames.iface("ve");
        String rightIf = UniqueNames.iface("ve");
        NetworkNamespace.require(runner.run(Duration.ofSeconds(10), "ip", "link", "add", leftIf, "netns", left.name(),
                "type", "veth", "peer", "name", rightIf, "netns", right.name()));
        addAddress(left, leftCidr, leftIf);
        addAddress(right, rightCidr, rightIf);
        left.ip("link", "set", leftIf, "up");
        right.ip("link", "set", rightIf, "up");
        return new VethLink(left, hostPart(leftCidr), right, hostPart(rightCidr));
    }

    /** IPv6 addresses skip duplicate address detection, which would keep them unusable for a second or two. */
    static void addAddress(NetworkNamespace ns, String cidr, String iface) {
        if (cidr.contains(":")) {
            ns.ip("addr", "add", cidr, "dev", iface, "nodad");
        } else {
            ns.ip("addr", "add", cidr, "dev", iface);
        }
    }

    private static String hostPart(String cidr) {
        return cidr.substring(0, cidr.indexOf('/'));
    }
}
