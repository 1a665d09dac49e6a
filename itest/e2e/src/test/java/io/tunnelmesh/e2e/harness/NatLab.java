package io.tunnelmesh.e2e.harness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Issue 14's NAT lab (../shared/notes/coordinator-stack.md §4): a "public" namespace whose bridge is the internet
 * (TEST-NET-3, 203.0.113.0/24, which never leaves the namespaces), the coordinator on the bridge itself at
 * 203.0.113.1, and two home routers A (203.0.113.10) and B (203.0.113.20), each with a host 192.168.1.2 behind it.
 *
 * <p>The public namespace watches the wire with iptables counters: datagrams between the two routers' public
 * addresses (a direct path), and any packet carrying a given text in clear. The bridge hands its frames to iptables
 * (br_netfilter, switched on for this namespace only), so traffic between the routers is seen although it is bridged.
 */
public final class NatLab {
    public static final String PUBLIC_PREFIX = "203.0.113.";
    public static final String COORDINATOR_ADDRESS = PUBLIC_PREFIX + "1";
    private static final Duration T = Duration.ofSeconds(10);
    /** Counters only (no verdicts), jumped to from INPUT, OUTPUT and FORWARD: everything the internet carries. */
    private static final String WATCH = "natlab-watch";
    /** Drops that {@link #cutUdpBetweenRouters} adds; after WATCH in FORWARD, so what is cut is still counted. */
    private static final String CUT = "natlab-cut";
    private static final Path BRIDGE_NETFILTER = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");

    private final NetworkNamespace internet;
    private final HomeRouter a;
    private final HomeRouter b;

    private NatLab(NetworkNamespace internet, HomeRouter a, HomeRouter b) {
        this.internet = internet;
        this.a = a;
        this.b = b;
    }

    /** Builds the lab in {@code bed} (which deletes it on close); skips, saying why, without iptables or br_netfilter. */
    public static NatLab build(Testbed bed, HomeRouter.Mapping mappingA, HomeRouter.Mapping mappingB) {
        Skip.unlessTool("iptables", "iptables");
        Skip.unless(Files.exists(BRIDGE_NETFILTER), "the NAT lab counts bridged traffic with iptables, which needs "
                + "the kernel's br_netfilter (modprobe br_netfilter); " + BRIDGE_NETFILTER + " is absent");
        Lan wire = bed.lan();
        NetworkNamespace internet = wire.switchNamespace();
        wire.addressBridge(COORDINATOR_ADDRESS + "/24");
        NetworkNamespace.require(internet.exec(T, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1"));
        HomeRouter a = HomeRouter.build("A", bed, wire, PUBLIC_PREFIX + "10/24", mappingA);
        HomeRouter b = HomeRouter.build("B", bed, wire, PUBLIC_PREFIX + "20/24", mappingB);
        NatLab lab = new NatLab(internet, a, b);
        lab.watch();
        return lab;
    }

    private void watch() {
        iptables("-N", WATCH);
        iptables("-N", CUT);
        for (String chain : List.of("INPUT", "OUTPUT", "FORWARD")) {
            iptables("-A", chain, "-j", WATCH);
        }
        iptables("-A", "FORWARD", "-j", CUT);
        for (HomeRouter[] pair : new HomeRouter[][] {{a, b}, {b, a}}) {
            iptables("-A", WATCH, "-s", pair[0].wanAddress(), "-d", pair[1].wanAddress(), "-p", "udp",
                    "-m", "comment", "--comment", direction(pair[0], pair[1]));
        }
    }

    private static String direction(HomeRouter from, HomeRouter to) {
        return "udp-" + from.name() + "-to-" + to.name();
    }

    public HomeRouter a() {
        return a;
    }

    public HomeRouter b() {
        return b;
    }

    /** The public namespace, where the coordinator runs (on the bridge, {@link #COORDINATOR_ADDRESS}). */
    public NetworkNamespace internet() {
        return internet;
    }

    /** UDP datagrams seen so far going straight between the two routers' public addresses, both ways. */
    public long datagramsBetweenRouters() {
        String rules = counters();
        return counter(rules, direction(a, b)) + counter(rules, direction(b, a));
    }

    /** UDP datagrams seen so far from {@code from}'s public address to {@code to}'s. */
    public long datagrams(HomeRouter from, HomeRouter to) {
        return counter(counters(), direction(from, to));
    }

    /** From now on every UDP datagram between the two routers' public addresses is dropped on the internet. */
    public void cutUdpBetweenRouters() {
        iptables("-F", CUT);
        iptables("-A", CUT, "-s", a.wanAddress(), "-d", b.wanAddress(), "-p", "udp", "-j", "DROP");
        iptables("-A", CUT, "-s", b.wanAddress(), "-d", a.wanAddress(), "-p", "udp", "-j", "DROP");
    }

    /** Undoes {@link #cutUdpBetweenRouters}. */
    public void restoreUdpBetweenRouters() {
        iptables("-F", CUT);
    }

    /**
     * Starts counting packets anywhere on the internet (to, from or through the public namespace) that carry
     * {@code text} in clear; {@link #clearTextSightings} reads the count. {@code text}: 1-16 printable ASCII
     * characters without spaces, so that {@code ping -p} can fill a payload with it ({@link #pingPattern}).
     */
    public void watchForClearText(String text) {
        iptables("-A", WATCH, "-m", "string", "--string", text, "--algo", "bm", "-m", "comment", "--comment",
                "clear-" + text);
    }

    public long clearTextSightings(String text) {
        return counter(counters(), "clear-" + text);
    }

    /** The {@code ping -p} argument that fills a payload with {@code text} over and over. */
    public static String pingPattern(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
    }

    private String counters() {
        return NetworkNamespace.require(internet.exec(T, "iptables", "-w", "-nvxL", WATCH)).stdout();
    }

    /** The packet count of the rule whose comment is {@code comment}: the first column of {@code iptables -nvxL}. */
    private static long counter(String rules, String comment) {
        for (String line : rules.lines().toList()) {
            if (line.contains("/* " + comment + " */")) {
                return Long.parseLong(line.strip().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no counter '" + comment + "' in:\n" + rules);
    }

    /** What the internet has counted, and both routers' tables, for failure messages. */
    public String diagnostics() {
        return "--- internet " + WATCH + " counters ---\n" + counters() + "--- internet " + CUT + " ---\n"
                + internet.exec(T, "iptables", "-w", "-nvxL", CUT).stdout() + a.diagnostics() + b.diagnostics();
    }

    private void iptables(String... args) {
        List<String> command = new ArrayList<>(List.of("iptables", "-w"));
        command.addAll(List.of(args));
        NetworkNamespace.require(internet.exec(T, command.toArray(String[]::new)));
    }
}
