package io.tunnelmesh.e2e.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A home router namespace with one host behind it: WAN on the lab's "internet" bridge, LAN 192.168.1.0/24 (the same
 * prefix in every home, as real homes have), NAT out of the WAN, and filtering like a real home router: nothing
 * unsolicited comes in, not even to the router itself (the INPUT drop of ../shared/notes/coordinator-stack.md §4,
 * without which conntrack confirms a peer's early probe and MASQUERADE has to pick another port).
 */
public final class HomeRouter {
    public static final String LAN_PREFIX = "192.168.1.";
    private static final String GATEWAY = LAN_PREFIX + "1";
    private static final Duration T = Duration.ofSeconds(10);
    /** The chain {@link #allowOnlyTcpTo} fills; jumped to first from FORWARD while UDP is blocked. */
    private static final String TCP_ONLY = "tcp-only";

    /** How the router maps a LAN host's UDP flows to its public address. */
    public enum Mapping {
        /** Plain MASQUERADE: keeps the source port when it is free, the same for every destination ("easy" NAT). */
        ENDPOINT_INDEPENDENT(List.of()),
        /** MASQUERADE --random-fully: a new random port per destination (symmetric, "hard" NAT), punching fails. */
        RANDOM_FULLY(List.of("--random-fully"));

        private final List<String> options;

        Mapping(List<String> options) {
            this.options = options;
        }
    }

    private final String name;
    private final NetworkNamespace router;
    private final String wanAddress;
    private final String wan;
    private final NetworkNamespace host;
    private final String hostInterface;
    private volatile String hostAddress;
    private boolean onlyTcp;

    private HomeRouter(String name, NetworkNamespace router, String wanAddress, NetworkNamespace host,
            String hostAddress) {
        this.name = name;
        this.router = router;
        this.wanAddress = wanAddress;
        this.wan = router.interfaceWith(wanAddress);
        this.host = host;
        this.hostInterface = host.interfaceWith(hostAddress);
        this.hostAddress = hostAddress;
    }

    /** A router whose WAN end is {@code wanCidr} on {@code internet}, with host 192.168.1.2 behind it. */
    static HomeRouter build(String name, Testbed bed, Lan internet, String wanCidr, Mapping mapping) {
        NetworkNamespace router = bed.host();
        NetworkNamespace host = bed.host();
        String wanAddress = internet.attach(router, wanCidr);
        bed.wire(router, GATEWAY + "/24", host, LAN_PREFIX + "2/24");
        host.ip("route", "add", "default", "via", GATEWAY);
        HomeRouter r = new HomeRouter(name, router, wanAddress, host, LAN_PREFIX + "2");
        r.natAndFilter(mapping);
        return r;
    }

    private void natAndFilter(Mapping mapping) {
        sh("sysctl", "-qw", "net.ipv4.ip_forward=1");
        List<String> masquerade = new ArrayList<>(List.of("-t", "nat", "-A", "POSTROUTING", "-o", wan, "-j", "MASQUERADE"));
        masquerade.addAll(mapping.options);
        iptables(masquerade.toArray(String[]::new));
        iptables("-P", "FORWARD", "DROP");
        iptables("-A", "FORWARD", "!", "-i", wan, "-o", wan, "-j", "ACCEPT");
        iptables("-A", "FORWARD", "-i", wan, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        iptables("-A", "INPUT", "-i", wan, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
        iptables("-A", "INPUT", "-i", wan, "-j", "DROP");
        iptables("-N", TCP_ONLY);
    }

    /**
     * From now on only TCP between the host and {@code address:port} crosses the router (a network that lets
     * nothing but HTTPS-like TCP out): every UDP datagram and everything else is dropped, in and out, whatever
     * conntrack knows.
     */
    public synchronized void allowOnlyTcpTo(String address, int port) {
        if (onlyTcp) {
            return;
        }
        iptables("-F", TCP_ONLY);
        iptables("-A", TCP_ONLY, "-p", "tcp", "-d", address, "--dport", Integer.toString(port), "-j", "RETURN");
        iptables("-A", TCP_ONLY, "-p", "tcp", "-s", address, "--sport", Integer.toString(port), "-j", "RETURN");
        iptables("-A", TCP_ONLY, "-j", "DROP");
        iptables("-I", "FORWARD", "1", "-j", TCP_ONLY);
        onlyTcp = true;
    }

    /** Undoes {@link #allowOnlyTcpTo}. */
    public synchronized void allowAll() {
        if (onlyTcp) {
            iptables("-D", "FORWARD", "-j", TCP_ONLY);
            onlyTcp = false;
        }
    }

    /**
     * The host moves to another LAN address (as a laptop does when DHCP gives it a new lease): the old address goes,
     * the new one comes, the default route is put back. Its open sockets stay; the router sees new flows.
     */
    public void moveHostTo(String newAddress) {
        host.ip("addr", "del", hostAddress + "/24", "dev", hostInterface);
        host.ip("addr", "add", newAddress + "/24", "dev", hostInterface);
        host.ip("route", "replace", "default", "via", GATEWAY);
        hostAddress = newAddress;
    }

    /** UDP from the LAN leaves from a public port in {@code range} (e.g. {@code 40000-40999}), not its own port. */
    public void mapUdpToPorts(String range) {
        iptables("-t", "nat", "-I", "POSTROUTING", "1", "-o", wan, "-p", "udp", "-j", "MASQUERADE", "--to-ports", range);
    }

    public String name() {
        return name;
    }

    /** The router's public (WAN) address, where the hosts' flows appear on the internet. */
    public String wanAddress() {
        return wanAddress;
    }

    public NetworkNamespace host() {
        return host;
    }

    public String hostAddress() {
        return hostAddress;
    }

    public NetworkNamespace router() {
        return router;
    }

    /** The router's NAT table and filter counters, for failure messages. */
    public String diagnostics() {
        return "--- router " + name + " (" + wanAddress + ") iptables ---\n"
                + router.exec(T, "iptables", "-w", "-t", "nat", "-nvxL", "POSTROUTING").stdout()
                + router.exec(T, "iptables", "-w", "-nvxL").stdout();
    }

    private void iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w"));
        command.addAll(List.of(args));
        sh(command.toArray(String[]::new));
    }

    private void sh(String... command) {
        NetworkNamespace.require(router.exec(T, command));
    }
}
