package io.tunnelmesh.handshake.internal.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stock wireguard-go ({@code wgt0}, 10.99.0.2/24) in a network namespace of its own, reached from the host
 * over a veth pair. Unique names per run; {@link #close()} kills the wireguard-go it started and deletes the
 * namespace and the veth pair. Construction skips the calling test (with the reason) unless root with ip, wg
 * and wireguard-go installed.
 */
final class WireGuardGoNamespace implements AutoCloseable {
    static final String TUNNEL_IP = "10.99.0.2";
    private static final SecureRandom RANDOM = new SecureRandom();

    final String ns = "tmhs" + Long.toHexString(System.nanoTime() & 0xffffff);
    final String hostIp;
    final String nsIp;
    final NodeKey publicKey;
    private final String vethHost;
    private final Path dir;
    private final byte[] privateKey = random32();
    private Process wireguardGo;

    WireGuardGoNamespace() throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: needs root for network namespaces (user is " + System.getProperty("user.name") + ")");
        for (String tool : List.of("/usr/sbin/ip", "/usr/bin/wg", "/usr/bin/wireguard-go")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "skipped: " + tool + " is not installed");
        }
        int id = 100 + RANDOM.nextInt(150);
        vethHost = "tmh" + id + "a";
        String vethNs = "tmh" + id + "b";
        hostIp = "10.231." + id + ".1";
        nsIp = "10.231." + id + ".2";
        publicKey = NodeKey.of(NoiseDh.DH25519.publicKey(privateKey));
        dir = Files.createTempDirectory("tm-wg-interop");
        Files.writeString(dir.resolve("key"), Base64.getEncoder().encodeToString(privateKey));
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", vethHost, "type", "veth", "peer", "name", vethNs);
        run("ip", "link", "set", vethNs, "netns", ns);
        run("ip", "addr", "add", hostIp + "/24", "dev", vethHost);
        run("ip", "link", "set", vethHost, "up");
        run("ip", "-n", ns, "addr", "add", nsIp + "/24", "dev", vethNs);
        run("ip", "-n", ns, "link", "set", vethNs, "up");
        run("ip", "-n", ns, "link", "set", "lo", "up");
        wireguardGo = new ProcessBuilder("ip", "netns", "exec", ns, "wireguard-go", "-f", "wgt0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("wireguard-go.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (run(false, "ip", "-n", ns, "link", "show", "wgt0") != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("wireguard-go did not create wgt0: " + log());
            }
            Thread.sleep(20);
        }
        run("ip", "-n", ns, "addr", "add", TUNNEL_IP + "/24", "dev", "wgt0");
        run("ip", "-n", ns, "link", "set", "wgt0", "up");
    }

    /** Configures the one peer (us): its key, the mesh psk, 10.99.0.1/32, and an endpoint if given. */
    void setPeer(NodeKey peer, byte[] psk, String endpointOrNull) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("psk"), Base64.getEncoder().encodeToString(psk));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "wg", "set", "wgt0", "private-key", dir.resolve("key").toString(),
                "listen-port", "51820", "peer", peer.toBase64(), "preshared-key", dir.resolve("psk").toString(), "allowed-ips", "10.99.0.1/32"));
        if (endpointOrNull != null) {
            cmd.addAll(List.of("endpoint", endpointOrNull));
        }
        run(cmd.toArray(String[]::new));
    }

    String wgShow(String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "wg", "show", "wgt0", what).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return text.strip();
    }

    /** Starts {@code ping} inside the namespace towards our tunnel address; the caller destroys it. */
    Process pingUs() throws IOException {
        return new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "20", "-i", "0.5", "-W", "1", "10.99.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    String log() throws IOException {
        Path log = dir.resolve("wireguard-go.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (wireguardGo != null) {
            wireguardGo.destroy();
            wireguardGo.waitFor(5, TimeUnit.SECONDS);
        }
        run(false, "ip", "netns", "del", ns);
        run(false, "ip", "link", "del", vethHost);
        for (String f : List.of("key", "psk", "wireguard-go.log")) {
            Files.deleteIfExists(dir.resolve(f));
        }
        Files.deleteIfExists(dir);
    }

    static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        run(true, command);
    }

    private static int run(boolean mustSucceed, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        if (mustSucceed && p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + text.strip());
        }
        return p.exitValue();
    }
}
