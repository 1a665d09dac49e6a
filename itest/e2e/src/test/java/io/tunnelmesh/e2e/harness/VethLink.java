package io.tunnelmesh.e2e.harness;

import java.time.Duration;

/** A veth pair: one wire between two namespaces, with an IPv4 address on each end. */
public record VethLink(NetworkNamespace left, String leftAddress, NetworkNamespace right, String rightAddress) {

    /**
     * @param leftCidr  e.g. {@code 192.168.77.1/24}
     * @param rightCidr e.g. {@code 192.168.77.2/24}
     */
    public static VethLink connect(ProcessRunner runner, NetworkNamespace left, String leftCidr,
            NetworkNamespace right, String rightCidr) {
        String leftIf = UniqueNames.iface("ve");
        String rightIf = UniqueNames.iface("ve");
        NetworkNamespace.require(runner.run(Duration.ofSeconds(10), "ip", "link", "add", leftIf, "netns", left.name(),
                "type", "veth", "peer", "name", rightIf, "netns", right.name()));
        left.ip("addr", "add", leftCidr, "dev", leftIf);
        right.ip("addr", "add", rightCidr, "dev", rightIf);
        left.ip("link", "set", leftIf, "up");
        right.ip("link", "set", rightIf, "up");
        return new VethLink(left, hostPart(leftCidr), right, hostPart(rightCidr));
    }

    private static String hostPart(String cidr) {
        return cidr.substring(0, cidr.indexOf('/'));
    }
}
