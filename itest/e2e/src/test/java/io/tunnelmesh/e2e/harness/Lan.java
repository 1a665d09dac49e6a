package io.tunnelmesh.e2e.harness;

import java.time.Duration;

/**
 * A flat LAN: a Linux bridge in a namespace of its own (the "switch"), each host attached by a veth whose
 * switch end is a bridge port. Hosts see each other as on one Ethernet segment, as a mesh's machines in one office
 * would; deleting the switch's namespace removes the bridge and every wire.
 */
public final class Lan {
    private static final String BRIDGE = "br0";

    private final NetworkNamespace switchNs;
    private final ProcessRunner runner;

    private Lan(NetworkNamespace switchNs, ProcessRunner runner) {
        this.switchNs = switchNs;
        this.runner = runner;
    }

    /** A bridge, up, in {@code switchNs} (a fresh namespace the testbed owns). */
    static Lan create(NetworkNamespace switchNs, ProcessRunner runner) {
        switchNs.ip("link", "add", BRIDGE, "type", "bridge");
        switchNs.ip("link", "set", BRIDGE, "up");
        return new Lan(switchNs, runner);
    }

    /** The namespace holding the bridge. */
    public NetworkNamespace switchNamespace() {
        return switchNs;
    }

    /** Gives the switch itself an address ({@code cidr} on the bridge), for a service living in its namespace. */
    public void addressBridge(String cidr) {
        VethLink.addAddress(switchNs, cidr, BRIDGE);
    }

    /** Wires {@code host} to the switch and gives its end {@code cidr} (e.g. 10.88.0.11/24); returns the address. */
    public String attach(NetworkNamespace host, String cidr) {
        String hostIf = UniqueNames.iface("ve");
        String portIf = UniqueNames.iface("br");
        NetworkNamespace.require(runner.run(Duration.ofSeconds(10), "ip", "link", "add", hostIf, "netns", host.name(),
                "type", "veth", "peer", "name", portIf, "netns", switchNs.name()));
        switchNs.ip("link", "set", portIf, "master", BRIDGE);
        switchNs.ip("link", "set", portIf, "up");
        VethLink.addAddress(host, cidr, hostIf);
        host.ip("link", "set", hostIf, "up");
        return cidr.substring(0, cidr.indexOf('/'));
    }
}
