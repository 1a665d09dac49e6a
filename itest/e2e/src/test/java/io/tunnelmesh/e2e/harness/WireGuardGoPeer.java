package io.tunnelmesh.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A stock WireGuard peer: Debian's wireguard-go in the foreground inside a namespace, configured with {@code wg}
 * exactly as an operator would.
 */
public final class WireGuardGoPeer {
    private static final Duration WG_TIMEOUT = Duration.ofSeconds(10);

    private final NetworkNamespace ns;
    private final ProcessRunner runner;
    private final String iface;
    private final String publicKey;
    private final StartedProcess process;

    private WireGuardGoPeer(NetworkNamespace ns, ProcessRunner runner, String iface, String publicKey,
            StartedProcess process) {
        this.ns = ns;
        this.runner = runner;
        this.iface = iface;
        this.publicKey = publicKey;
        this.process = process;
    }

    /**
     * Starts wireguard-go with a new key, listening on {@code listenPort}, interface address {@code cidr}, MTU 1420.
     */
    public static WireGuardGoPeer start(Testbed bed, NetworkNamespace ns, String cidr, int listenPort)
            throws InterruptedException {
        ProcessRunner runner = bed.runner();
        String iface = UniqueNames.iface("wg");
        Path key = bed.workDir().resolve(iface + ".key");
        write(key, NetworkNamespace.require(runner.run(WG_TIMEOUT, "wg", "genkey")).stdout());
        String pub = NetworkNamespace.require(runner.run(WG_TIMEOUT, key, List.of("wg", "pubkey"))).stdout().trim();
        StartedProcess process = ns.start("wireguard-go-" + iface, List.of("wireguard-go", "-f", iface));
        Path socket = Path.of("/var/run/wireguard", iface + ".sock");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("wireguard-go did not open " + socket + ":\n" + process.logTail(20));
            }
            Thread.sleep(20);
        }
        WireGuardGoPeer peer = new WireGuardGoPeer(ns, runner, iface, pub, process);
        peer.wg("set", iface, "private-key", key.toString(), "listen-port", Integer.toString(listenPort));
        ns.ip("addr", "add", cidr, "dev", iface);
        ns.ip("link", "set", iface, "mtu", "1420", "up");
        return peer;
    }

    public String publicKey() {
        return publicKey;
    }

    public NetworkNamespace namespace() {
        return ns;
    }

    public String iface() {
        return iface;
    }

    public StartedProcess process() {
        return process;
    }

    /** {@code wg set IFACE peer PUB preshared-key F [endpoint E] allowed-ips A}; endpoint may be null. */
    public void addPeer(String peerPublicKey, Path presharedKey, String endpoint, String allowedIps) {
        List<String> args = new ArrayList<>(List.of("set", iface, "peer", peerPublicKey, "preshared-key",
                presharedKey.toString()));
        if (endpoint != null) {
            args.addAll(List.of("endpoint", endpoint));
        }
        args.addAll(List.of("allowed-ips", allowedIps));
        wg(args.toArray(String[]::new));
    }

    public void removePeer(String peerPublicKey) {
        wg("set", iface, "peer", peerPublicKey, "remove");
    }

    /** Seconds since the epoch of the latest handshake with that peer, 0 when there was none. */
    public long latestHandshake(String peerPublicKey) {
        for (String line : wg("show", iface, "latest-handshakes").lines().toList()) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[0].equals(peerPublicKey)) {
                return Long.parseLong(parts[1]);
            }
        }
        return 0;
    }

    /** {@code wg show IFACE} as text, for diagnostics. */
    public String show() {
        return runner.run(WG_TIMEOUT, ns.inside(List.of("wg", "show", iface)).toArray(String[]::new)).stdout();
    }

    private String wg(String... args) {
        List<String> command = new ArrayList<>(List.of("wg"));
        command.addAll(List.of(args));
        return NetworkNamespace.require(runner.run(WG_TIMEOUT, null, ns.inside(command))).stdout();
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
