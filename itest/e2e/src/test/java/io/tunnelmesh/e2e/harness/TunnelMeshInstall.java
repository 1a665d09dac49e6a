package io.tunnelmesh.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One unpacked copy of the distribution, driven only through {@code bin/tunnelmesh} as an operator would. Each copy
 * keeps its own state in {@code data/} and its own control socket, so several run side by side.
 */
public final class TunnelMeshInstall {
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(30);
    /** {@code lb -s} line: "   12|Active     |    1|tm-transport-udp (0.1.0.SNAPSHOT)|0.1.0.SNAPSHOT". */
    private static final Pattern BUNDLE_LINE = Pattern.compile("^\\s*(\\d+)\\s*\\|\\s*(\\w+)\\s*\\|[^|]*\\|\\s*([^\\s|(]+)");

    /** The node's TUN name when config/io.tunnelmesh.node.cfg does not set {@code interface.name}. */
    private static final String DEFAULT_INTERFACE = "tm0";

    private final String name;
    private final Path home;
    private final ProcessRunner runner;
    private StartedProcess daemon;
    private Path sshKey;

    private TunnelMeshInstall(String name, Path home, ProcessRunner runner) {
        this.name = name;
        this.home = home;
        this.runner = runner;
    }

    /** Unpacks {@code tarball} into {@code <work>/<name>/}. */
    public static TunnelMeshInstall unpack(Testbed bed, Path tarball, String name) {
        Path dir = bed.workDir().resolve(name);
        try {
            Files.createDirectories(dir);
            NetworkNamespace.require(bed.runner().run(CLI_TIMEOUT, "tar", "xzf", tarball.toString(), "-C",
                    dir.toString()));
            try (Stream<Path> children = Files.list(dir)) {
                Path home = children.filter(Files::isDirectory).findFirst()
                        .orElseThrow(() -> new IllegalStateException(tarball + " has no top-level folder"));
                return new TunnelMeshInstall(name, home, bed.runner());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public Path home() {
        return home;
    }

    public StartedProcess daemon() {
        return daemon;
    }

    /** {@code bin/tunnelmesh args…} outside any namespace (the control socket is a file, reachable from anywhere). */
    public ProcessResult cli(String... args) {
        return runner.run(CLI_TIMEOUT, null, command(args));
    }

    /** {@code bin/tunnelmesh args…} inside {@code ns}, for commands that reach the network (e.g. {@code join}). */
    public ProcessResult cliIn(NetworkNamespace ns, String... args) {
        return ns.exec(CLI_TIMEOUT, command(args).toArray(String[]::new));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/tunnelmesh").toString()));
        command.addAll(List.of(args));
        return command;
    }

    public String cliOk(String... args) {
        ProcessResult r = cli(args);
        if (!r.succeeded()) {
            throw new AssertionError(name + ": " + r.describe() + daemonTail());
        }
        return r.stdout();
    }

    /** A fresh OpenSSH ed25519 key made by ssh-keygen, then {@code tunnelmesh init --ssh-key} on it. */
    public void initWithNewSshKey() {
        Path key = home.resolveSibling(name + "-id_ed25519");
        NetworkNamespace.require(runner.run(CLI_TIMEOUT, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                name + "@e2e", "-f", key.toString()));
        cliOk("init", "--ssh-key", key.toString());
        sshKey = key;
    }

    /** The OpenSSH public key line ({@code ssh-ed25519 AAAA… comment}) of the key {@link #initWithNewSshKey} made. */
    public String sshPublicKeyLine() {
        if (sshKey == null) {
            throw new IllegalStateException(name + " has no SSH key of the harness's making");
        }
        try {
            return Files.readString(sshKey.resolveSibling(sshKey.getFileName() + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This node's public key, base64 as wg prints it. */
    public String publicKey() {
        List<String> lines = cliOk("pubkey").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.getLast();
    }

    /**
     * {@code ip netns exec NS bin/tunnelmesh up …}, then waits until {@code tm:status} answers through the control
     * socket and the TUN interface exists in the namespace.
     */
    public StartedProcess up(NetworkNamespace ns, String iface, String cidr, int listenPort, Path psk)
            throws InterruptedException {
        startUp(ns, iface, cidr, listenPort, psk);
        awaitUp(ns, iface);
        return daemon;
    }

    /** Starts {@code up} without waiting (for start-up timing). */
    public StartedProcess startUp(NetworkNamespace ns, String iface, String cidr, int listenPort, Path psk) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/tunnelmesh").toString(), "up", "--interface",
                iface, "--address", cidr, "--listen-port", Integer.toString(listenPort)));
        if (psk != null) {
            command.addAll(List.of("--psk-file", psk.toString()));
        }
        daemon = ns.start("tunnelmesh-" + name, command);
        return daemon;
    }

    public void awaitUp(NetworkNamespace ns, String iface) throws InterruptedException {
        awaitReady("up", () -> ns.hasLink(iface), "interface " + iface, "tm:status");
    }

    /**
     * Plain {@code bin/tunnelmesh up} (no flags) in {@code ns}, as a mesh member after {@code join}: waits until the
     * TUN interface named in config (default tm0) exists and {@code tm:status} answers.
     */
    public StartedProcess upAsMember(NetworkNamespace ns) throws InterruptedException {
        String iface = interfaceName();
        daemon = ns.start("tunnelmesh-" + name, command("up"));
        awaitReady("up", () -> ns.hasLink(iface), "interface " + iface, "tm:status");
        return daemon;
    }

    /**
     * {@code bin/tunnelmesh coordinator --listen LISTEN --mesh-cidr CIDR} in {@code ns}; waits until the control
     * socket answers {@code tm:coordinator}.
     */
    public StartedProcess startCoordinator(NetworkNamespace ns, String listen, String meshCidr)
            throws InterruptedException {
        daemon = ns.start("coordinator-" + name, command("coordinator", "--listen", listen, "--mesh-cidr", meshCidr));
        awaitReady("coordinator", () -> true, "", "tm:coordinator");
        return daemon;
    }

    /** {@code bin/tunnelmesh join TOKEN [--name NAME]} inside {@code ns}; the result whatever the exit code. */
    public ProcessResult join(NetworkNamespace ns, String token, String nodeName) {
        return nodeName == null ? cliIn(ns, "join", token) : cliIn(ns, "join", token, "--name", nodeName);
    }

    /** SIGKILL to the running daemon (by the PID the harness started), as {@code kill -9} would; waits for its end. */
    public void killDaemon() throws InterruptedException {
        daemon.kill(UP_TIMEOUT);
    }

    /** SIGTERM to the running daemon, as Ctrl-C would; waits (bounded) for it to stop. */
    public void stopDaemon() {
        daemon.stop(Duration.ofSeconds(10));
    }

    /** {@code interface.name} from config/io.tunnelmesh.node.cfg (join may have written it), else tm0. */
    public String interfaceName() {
        Path cfg = home.resolve("config/io.tunnelmesh.node.cfg");
        try {
            List<String> lines = Files.exists(cfg) ? Files.readAllLines(cfg) : List.of();
            return lines.stream().map(String::strip).filter(l -> l.matches("interface\\.name\\s*[=:].*"))
                    .map(l -> l.substring(l.indexOf(l.contains("=") ? '=' : ':') + 1).strip())
                    .filter(v -> !v.isEmpty()).reduce((a, b) -> b).orElse(DEFAULT_INTERFACE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the daemon's control socket exists, {@code extra} holds and {@code probe} (a Gogo command) succeeds;
     * fails at once, with its output, if the daemon exits.
     */
    private void awaitReady(String what, java.util.function.BooleanSupplier extra, String extraName, String probe)
            throws InterruptedException {
        long deadline = System.nanoTime() + UP_TIMEOUT.toNanos();
        Path socket = home.resolve("data/tm.sock");
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError(name + ": 'tunnelmesh " + what + "' exited with " + daemon.exitCode()
                        + daemonTail());
            }
            if (Files.exists(socket) && extra.getAsBoolean() && cli("shell", "-c", probe).succeeded()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + ": '" + what + "' not ready within " + UP_TIMEOUT + " (control socket "
                + socket + " " + (Files.exists(socket) ? "present" : "absent")
                + (extraName.isEmpty() ? "" : ", " + extraName + (extra.getAsBoolean() ? " present" : " absent"))
                + ", '" + probe + "': " + cli("shell", "-c", probe).describe() + ")" + daemonTail());
    }

    /** One Gogo command against the running daemon ({@code bin/tunnelmesh shell -c}); fails on a non-zero exit. */
    public String shell(String command) {
        return cliOk("shell", "-c", command);
    }

    public ProcessResult tryShell(String command) {
        return cli("shell", "-c", command);
    }

    /** {@code tm:peer-add}, written as an operator would type it. */
    public void addPeer(String publicKey, String endpoint, String allowedIps) {
        String ep = endpoint == null ? "" : " --endpoint " + gogoWord(endpoint);
        shell("tm:peer-add " + gogoWord(publicKey) + ep + " --allowed-ips " + allowedIps);
    }

    public void removePeer(String publicKey) {
        shell("tm:peer-remove " + gogoWord(publicKey));
    }

    /**
     * Quotes what Gogo would otherwise misread, exactly where an operator has to: an IPv6 endpoint
     * ({@code [addr]:port}, else a list) and a base64 key that starts with {@code //} (else a comment).
     */
    private static String gogoWord(String word) {
        return word.startsWith("[") || word.startsWith("//") ? "'" + word + "'" : word;
    }

    /** Writes {@code config/io.tunnelmesh.peer-NAME.cfg}, which FileInstall applies live (or at start). */
    public void writePeerFile(String peerName, String publicKey, String endpoint, String allowedIps) {
        String text = "public.key=" + publicKey + "\n" + (endpoint == null ? "" : "endpoint=" + endpoint + "\n")
                + "allowed.ips=" + allowedIps + "\n";
        try {
            Files.writeString(home.resolve("config/io.tunnelmesh.peer-" + peerName + ".cfg"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id of the bundle whose symbolic name is {@code symbolicName}, from {@code lb -s}. */
    public int bundleId(String symbolicName) {
        String listing = shell("lb -s");
        for (String line : listing.lines().toList()) {
            Matcher m = BUNDLE_LINE.matcher(line);
            if (m.find() && m.group(3).equals(symbolicName)) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError(name + ": no bundle " + symbolicName + " in 'lb -s':\n" + listing);
    }

    /** Bundle state word from {@code lb -s}, e.g. Active. */
    public String bundleState(int id) {
        for (String line : shell("lb -s").lines().toList()) {
            Matcher m = BUNDLE_LINE.matcher(line);
            if (m.find() && Integer.parseInt(m.group(1)) == id) {
                return m.group(2);
            }
        }
        return "absent";
    }

    /** The end of the daemon's console output and of its log file, for failure messages. */
    public String daemonTail() {
        String console = daemon == null ? "" : "\n--- " + name + " console (tail) ---\n" + daemon.logTail(30);
        return console + "\n--- " + name + " data/log/tunnelmesh.log (tail) ---\n" + logFileTail(30);
    }

    private String logFileTail(int lines) {
        Path log = home.resolve("data/log/tunnelmesh.log");
        try {
            List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log file)");
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
