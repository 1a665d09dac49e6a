package io.tunnelmesh.handshake.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import io.tunnelmesh.api.handshake.TunnelEngine;
import io.tunnelmesh.api.handshake.TunnelPeer;
import io.tunnelmesh.cipher.internal.JcePacketCipher;
import io.tunnelmesh.handshake.internal.WireGuardHandshakeService;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Our engine against a stock wireguard-go: wireguard-go runs in a network namespace of its own (unique name,
 * deleted afterwards) behind a veth pair; the test drives our sans-IO engine over a UDP socket on the host
 * side. We initiate with the mesh psk, send an ICMP echo request through the tunnel and must get the kernel's
 * echo reply back through wireguard-go, decrypted by our engine. Needs root, ip, wg and wireguard-go; skips
 * with the reason otherwise.
 */
class WireGuardGoInteropTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void stockWireGuardGoCompletesAHandshakeAndAnswersAPing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: needs root for network namespaces (user is " + System.getProperty("user.name") + ")");
        for (String tool : List.of("/usr/sbin/ip", "/usr/bin/wg", "/usr/bin/wireguard-go")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "skipped: " + tool + " is not installed");
        }
        int id = 100 + RANDOM.nextInt(150);
        String ns = "tmhs" + Long.toHexString(System.nanoTime() & 0xffffff);
        String vethHost = "tmh" + id + "a";
        String vethNs = "tmh" + id + "b";
        String hostIp = "10.231." + id + ".1";
        String nsIp = "10.231." + id + ".2";
        Path dir = Files.createTempDirectory("tm-wg-interop");
        Process wireguardGo = null;
        try {
            byte[] ourPriv = random32();
            NodeKey ourKey = NodeKey.of(NoiseDh.DH25519.publicKey(ourPriv));
            byte[] theirPriv = random32();
            NodeKey theirKey = NodeKey.of(NoiseDh.DH25519.publicKey(theirPriv));
            byte[] psk = random32();
            Files.writeString(dir.resolve("key"), Base64.getEncoder().encodeToString(theirPriv));
            Files.writeString(dir.resolve("psk"), Base64.getEncoder().encodeToString(psk));

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
            waitFor(() -> run(false, "ip", "-n", ns, "link", "show", "wgt0") == 0, "wireguard-go to create wgt0");
            run("ip", "netns", "exec", ns, "wg", "set", "wgt0", "private-key", dir.resolve("key").toString(), "listen-port", "51820",
                    "peer", ourKey.toBase64(), "preshared-key", dir.resolve("psk").toString(), "allowed-ips", "10.99.0.1/32");
            run("ip", "-n", ns, "addr", "add", "10.99.0.2/24", "dev", "wgt0");
            run("ip", "-n", ns, "link", "set", "wgt0", "up");

            TunnelEngine engine = new WireGuardHandshakeService(new JcePacketCipher())
                    .newEngine(new EngineOptions(new StaticKeyPair(ourPriv, ourKey), PresharedKey.of(psk), InstantSource.system()));
            TunnelPeer peer = engine.addPeer(theirKey, 0);
            InetSocketAddress endpoint = new InetSocketAddress(nsIp, 51820);
            try (DatagramChannel udp = DatagramChannel.open()) {
                udp.bind(new InetSocketAddress(hostIp, 0));
                udp.configureBlocking(false);
                PacketOutcome outcome = new PacketOutcome();
                ByteBuffer out = ByteBuffer.allocate(2048);
                ByteBuffer in = ByteBuffer.allocate(2048);
                long start = System.nanoTime();
                peer.encapsulate(ByteBuffer.wrap(echoRequest()), out.clear(), System.nanoTime() - start, outcome);
                assertEquals(Action.SEND_TO_PEER, outcome.action());
                udp.send(out, endpoint);
                boolean replied = false;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!replied && System.nanoTime() < deadline) {
                    long now = System.nanoTime() - start;
                    InetSocketAddress from = (InetSocketAddress) udp.receive(in.clear());
                    if (from != null) {
                        engine.receive(in.flip(), from, out.clear(), now, outcome);
                        if (outcome.action() == Action.DELIVER) {
                            byte[] ip = new byte[outcome.length()];
                            out.get(out.position(), ip);
                            replied = ip[9] == 1 && (ip[20] & 0xff) == 0; // ICMP echo reply
                        } else if (outcome.action() == Action.SEND_TO_SOURCE) {
                            udp.send(out, from);
                        }
                    }
                    if (peer.nextDeadlineNanos() <= now || (from != null && outcome.authenticated())) {
                        for (peer.poll(out.clear(), now, outcome); outcome.action() == Action.SEND_TO_PEER; peer.poll(out.clear(), now, outcome)) {
                            udp.send(out, endpoint);
                        }
                    }
                    if (from == null) {
                        Thread.sleep(2);
                    }
                }
                String show = output("ip", "netns", "exec", ns, "wg", "show", "wgt0", "latest-handshakes");
                System.out.println("wireguard-go interop: echo reply received = " + replied + "; wg show latest-handshakes: " + show.strip());
                assertTrue(replied, "no ICMP echo reply came back through wireguard-go; its log: " + Files.readString(dir.resolve("wireguard-go.log")));
                assertEquals(1, peer.stats().handshakesCompleted());
                assertTrue(engine.drops(io.tunnelmesh.api.handshake.DropReason.HANDSHAKE_FAILED) == 0);
            }
        } finally {
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
    }

    /** IPv4 ICMP echo request 10.99.0.1 → 10.99.0.2 with valid checksums. */
    private static byte[] echoRequest() {
        byte[] p = new byte[84];
        p[0] = 0x45;
        p[3] = 84;
        p[8] = 64;
        p[9] = 1;
        p[12] = 10; p[13] = 99; p[14] = 0; p[15] = 1;
        p[16] = 10; p[17] = 99; p[18] = 0; p[19] = 2;
        checksum(p, 0, 20, 10);
        p[20] = 8;
        p[24] = 0x12;
        p[26] = 0; p[27] = 1;
        for (int i = 28; i < 84; i++) {
            p[i] = (byte) i;
        }
        checksum(p, 20, 64, 22);
        return p;
    }

    private static void checksum(byte[] p, int from, int length, int at) {
        long sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        int c = (int) ~sum & 0xffff;
        p[at] = (byte) (c >>> 8);
        p[at + 1] = (byte) c;
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
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

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }
}
