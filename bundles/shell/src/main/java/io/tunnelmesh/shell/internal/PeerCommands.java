package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.node.MeshNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code tm:status} and {@code tm:peers} (what {@code wg show} prints), and the implementations of
 * {@code tm:peer-add} / {@code tm:peer-remove} (like {@code wg set}), which {@link PeerAddCommand} and
 * {@link PeerRemoveCommand} register under their hyphenated names. Output is one {@code label: value} per line
 * so scripts can grep it.
 */
@Component(service = PeerCommands.class, property = {"osgi.command.scope=tm", "osgi.command.function=status",
        "osgi.command.function=peers"})
public final class PeerCommands {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MeshNode node;
    private final Clock clock;

    public PeerCommands() {
        this(Clock.systemUTC());
    }

    PeerCommands(Clock clock) {
        this.clock = clock;
    }

    /** For tests: commands on a given node. */
    PeerCommands(MeshNode node, Clock clock) {
        this.node = node;
        this.clock = clock;
    }

    @Descriptor("show this node: identity, interface, addresses, listen port, transports, drops")
    public String status() {
        return NodeStatusText.of(node().status());
    }

    @Descriptor("show the peers: public key, endpoint in use and configured candidates, allowed IPs, latest handshake, transfer, keepalive, last error")
    public String peers() {
        return PeerStatusText.of(node().peers(), clock.instant());
    }

    @Descriptor("add a peer or change it, like `wg set … peer`")
    public String peerAdd(
            @Descriptor("where the peer is reached: HOST:PORT or [IPV6]:PORT (UDP), or TRANSPORT:ADDRESS of an installed transport, e.g."
                    + " udp:[fd00::2]:51820; several comma-separated without blanks, most preferred first; omit until it contacts us")
            @Parameter(names = "--endpoint", absentValue = "") String endpoint,
            @Descriptor("prefixes routed to the peer, comma separated, e.g. 10.99.0.2/32,fd00::2/128")
            @Parameter(names = "--allowed-ips", absentValue = "") String allowedIps,
            @Descriptor("persistent keepalive in seconds (0 = off)")
            @Parameter(names = "--keepalive", absentValue = "0") String keepalive,
            @Descriptor("the peer's public key (base64, as `tunnelmesh pubkey` or `wg pubkey` prints it)") String publicKey) {
        NodeKey key = NodeKey.parse(publicKey);
        List<EndpointSpec> at = EndpointSpec.parseList(endpoint);
        List<IpPrefix> allowed = new ArrayList<>();
        for (String part : allowedIps.split(",")) {
            if (!part.isBlank()) {
                allowed.add(IpPrefix.parse(part));
            }
        }
        node().addPeer(new PeerConfig(key, at, allowed, keepaliveSeconds(keepalive)));
        return "peer " + key + " added";
    }

    @Descriptor("remove a peer, like `wg set … peer KEY remove`")
    public String peerRemove(@Descriptor("the peer's public key") String publicKey) {
        NodeKey key = NodeKey.parse(publicKey);
        if (!node().removePeer(key)) {
            throw new IllegalArgumentException("peer " + key + " is not known: `tm:peers` lists the peers");
        }
        return "peer " + key + " removed";
    }

    private static int keepaliveSeconds(String text) {
        try {
            int seconds = Integer.parseInt(text.strip());
            if (seconds >= 0 && seconds <= 65535) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // falls through to the error naming the option
        }
        throw new IllegalArgumentException("--keepalive '" + text + "' is not valid: use 0 (off) or 1-65535 seconds");
    }

    private MeshNode node() {
        MeshNode n = node;
        if (n == null) {
            throw new IllegalStateException("the node is not running yet: it waits for an identity (run `tunnelmesh init`)"
                    + " and a TUN driver; if it has one, see `lb tm` and `log 20 error`");
        }
        return n;
    }
}
