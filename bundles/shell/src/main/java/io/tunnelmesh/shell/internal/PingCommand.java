package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.AddressFormat;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.node.MeshNode;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.node.PingReply;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code tm:ping PEER [-c COUNT]}, like {@code tailscale ping}: pings through the tunnel on the peer's current path,
 * one a second, a line per reply with the path and the round trip, printed as it comes. Fails (exit status 1)
 * when no pong came at all.
 */
@Component(service = PingCommand.class, property = {"osgi.command.scope=tm", "osgi.command.function=ping"})
public final class PingCommand {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_COUNT = 3600;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MeshNode node;
    private final Pause pause;

    /** Waits between pings; tests pass one that does not. */
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    public PingCommand() {
        this.pause = d -> Thread.sleep(d);
    }

    /** For tests. */
    PingCommand(MeshNode node, Pause pause) {
        this.node = node;
        this.pause = pause;
    }

    @Descriptor("ping a peer through the tunnel and print the path (direct or relay) and round trip of each reply")
    public void ping(CommandSession session,
            @Descriptor("how many pings, one a second") @Parameter(names = {"-c", "--count"}, absentValue = "5") String count,
            @Descriptor("the peer: its name, its mesh address or the start of its public key") String peer) throws InterruptedException {
        ping(session.getConsole(), peer, count);
    }

    void ping(PrintStream out, String peerText, String countText) throws InterruptedException {
        int count = count(countText);
        MeshNode n = node();
        PeerStatus peer = find(n.peers(), peerText);
        String who = (peer.name().isEmpty() ? shortKey(peer.publicKey()) : peer.name()) + address(peer);
        int pongs = 0;
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            Optional<PingReply> reply = n.ping(peer.publicKey(), TIMEOUT);
            if (reply.isPresent()) {
                pongs++;
                out.println("pong from " + who + " via " + PeerStatusText.path(reply.get().via()) + " in "
                        + PeerStatusText.millis(reply.get().rttNanos()));
            } else {
                out.println("timeout: no pong from " + (peer.name().isEmpty() ? shortKey(peer.publicKey()) : peer.name()) + " in 1 s");
            }
            out.flush();
            long left = TIMEOUT.toNanos() - (System.nanoTime() - sent);
            if (i + 1 < count && left > 0) {
                pause.sleep(Duration.ofNanos(left));
            }
        }
        if (pongs == 0) {
            throw new IllegalStateException("no pong from " + who + " (" + count + (count == 1 ? " ping" : " pings") + " sent)");
        }
    }

    /** The peer named by its name, one of its mesh addresses, or the start of its public key (unique). */
    static PeerStatus find(List<PeerStatus> peers, String text) {
        List<PeerStatus> byKey = new ArrayList<>();
        for (PeerStatus p : peers) {
            if (p.name().equals(text) || hasAddress(p, text)) {
                return p;
            }
            if (!text.isEmpty() && p.publicKey().toBase64().startsWith(text)) {
                byKey.add(p);
            }
        }
        if (byKey.size() == 1) {
            return byKey.getFirst();
        }
        if (byKey.size() > 1) {
            throw new IllegalArgumentException("'" + text + "' starts " + byKey.size() + " peers' public keys: give more of the key");
        }
        throw new IllegalArgumentException("no peer '" + text + "': give a name, mesh address or public key from `tm:peers`");
    }

    private static boolean hasAddress(PeerStatus p, String text) {
        for (IpPrefix prefix : p.allowedIps()) {
            if (isHost(prefix) && AddressFormat.format(prefix.address()).equals(text)) {
                return true;
            }
        }
        return false;
    }

    /** " (100.64.0.2)": the peer's own address (a host prefix), if it has one. */
    private static String address(PeerStatus p) {
        for (IpPrefix prefix : p.allowedIps()) {
            if (isHost(prefix)) {
                return " (" + AddressFormat.format(prefix.address()) + ")";
            }
        }
        return "";
    }

    private static boolean isHost(IpPrefix prefix) {
        return prefix.length() == (prefix.isIpv6() ? 128 : 32);
    }

    private static String shortKey(NodeKey key) {
        return key.toBase64().substring(0, 8);
    }

    private static int count(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= MAX_COUNT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error naming the option
        }
        throw new IllegalArgumentException("-c '" + text + "' is not valid: give a count of pings from 1 to " + MAX_COUNT);
    }

    private MeshNode node() {
        MeshNode n = node;
        if (n == null) {
            throw new IllegalStateException("the node is not running yet: see `tm:status`");
        }
        return n;
    }
}
