package io.tunnelmesh.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: exit codes and the one line each mistake gets. */
class TunnelMeshCliTest {
    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Installation installation = new Installation(home, home.resolve("config"), home.resolve("data"));
        TunnelMeshCli cli = new TunnelMeshCli(installation, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return cli.run(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownCommandPrintsUsageOnStderrAndExits2() {
        assertEquals(2, run("frobnicate"));
        assertTrue(stderr().startsWith("tunnelmesh: unknown command 'frobnicate'"), stderr());
        assertTrue(stderr().contains("usage: tunnelmesh <command>"), stderr());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(stderr().contains("no command given"), stderr());
    }

    @Test
    void versionPrintsTheBuiltVersion() {
        assertEquals(0, run("version"));
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertTrue(line.matches("tunnelmesh \\d+\\.\\d+\\.\\d+.*"), line);
        assertFalse(line.contains("${"), "version was filtered at build time: " + line);
    }

    @Test
    void shellWithoutARunningNodeSaysHowToStartOneAndExits3() {
        assertEquals(3, run("shell", "-c", "lb"));
        assertEquals(1, stderr().lines().count(), stderr());
        assertTrue(stderr().contains("no node or coordinator is running") && stderr().contains("tunnelmesh up"), stderr());
    }

    @Test
    void statusAndPeersWithoutANodeExit3() {
        assertEquals(3, run("status"));
        assertEquals(3, run("peers"));
        assertEquals(3, run("ping", "bravo"));
    }

    @Test
    void pingTakesAPeerAndACountInEitherOrder() throws Exception {
        assertEquals("tm:ping '-c' '3' 'bravo'", TunnelMeshCli.pingCommand(List.of("bravo", "-c", "3")));
        assertEquals("tm:ping '-c' '3' '100.64.0.2'", TunnelMeshCli.pingCommand(List.of("-c", "3", "100.64.0.2")));
        assertEquals("tm:ping 'bravo'", TunnelMeshCli.pingCommand(List.of("bravo")));
        assertEquals(2, run("ping"));
        assertTrue(stderr().contains("ping needs the peer"), stderr());
        assertEquals(2, run("ping", "bravo", "-c"));
        assertEquals(2, run("ping", "bravo", "charlie"));
    }

    @Test
    void anInstallationTooDeepForAUnixSocketIsNamedNotMistakenForAStoppedNode() throws IOException {
        home = Files.createDirectories(home.resolve("a".repeat(60)).resolve("b".repeat(40)));
        assertEquals(1, run("status"));
        assertTrue(stderr().contains("more than the 107 a Unix socket allows"), stderr());
        assertEquals(1, run("up"));
    }

    @Test
    void theControlSocketConfiguredInFrameworkPropertiesIsTheOneCommandsUse() throws Exception {
        java.nio.file.Path socket = home.resolve("elsewhere.sock");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/framework.properties"), "tm.control.socket=" + socket + "\n");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread node = Thread.ofVirtual().start(() -> {
                try (var c = server.accept();
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(c), StandardCharsets.UTF_8));
                        var w = java.nio.channels.Channels.newWriter(c, StandardCharsets.UTF_8)) {
                    w.write("status for " + in.readLine() + "\n\0EXIT 0\n");
                    w.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(0, run("status"), stderr());
            node.join(5000);
        }
        assertEquals("status for tm:status\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void statusTakesNoArguments() {
        assertEquals(2, run("status", "--verbose"));
        assertTrue(stderr().contains("'status' takes no arguments"), stderr());
    }

    @Test
    void upRejectsABadPortNamingTheFlag() {
        assertEquals(2, run("up", "--listen-port", "70000"));
        assertTrue(stderr().contains("--listen-port '70000'"), stderr());
        assertFalse(stderr().contains("Exception"), stderr());
    }

    @Test
    void upRejectsAMissingPskFileSayingHowToMakeOne() {
        assertEquals(2, run("up", "--psk-file", home.resolve("nope.psk").toString()));
        assertTrue(stderr().contains("wg genpsk"), stderr());
    }

    @Test
    void upRejectsABadAddressAndInterfaceName() {
        assertEquals(2, run("up", "--address", "10.0.0.1"));
        assertTrue(stderr().contains("ADDRESS/LENGTH"), stderr());
        assertEquals(2, run("up", "--interface", "this-name-is-far-too-long"));
        assertTrue(stderr().contains("1-15"), stderr());
    }

    @Test
    void upRejectsUnknownOptionsAndMissingValues() {
        assertEquals(2, run("up", "--colour", "blue"));
        assertTrue(stderr().contains("unknown option '--colour'"), stderr());
        assertEquals(2, run("up", "--address"));
        assertTrue(stderr().contains("--address needs a value"), stderr());
    }

    @Test
    void upWithoutBundlesExplainsWhereTheyShouldBe() {
        assertEquals(1, run("up"));
        assertTrue(stderr().contains("no bundles at " + home.resolve("bundle")), stderr());
    }

    @Test
    void aBrokenFrameworkPropertiesFileIsNamed() throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/framework.properties"), "bad=\\u00zz\n");
        assertEquals(1, run("up"));
        assertTrue(stderr().contains("framework.properties cannot be read"), stderr());
    }

    @Test
    void initPathsAreMadeAbsoluteBecauseTheNodeHasItsOwnWorkingFolder() {
        var args = TunnelMeshCli.absolutePaths(java.util.List.of("--ssh-key", "keys/id_ed25519", "--force"));
        assertEquals(Path.of("keys/id_ed25519").toAbsolutePath().normalize().toString(), args.get(1));
        assertEquals("--force", args.get(2));
    }

    @Test
    void initArgumentsWithQuotesAreRefusedBeforeReachingTheShell() {
        assertEquals(2, run("init", "--ssh-key", "/tmp/it's"));
        assertTrue(stderr().contains("contains a quote"), stderr());
    }

    /** A stand-in for a running node or coordinator on data/tm.sock: records the line it got, answers {@code reply}. */
    private Thread fakeRuntime(java.nio.channels.ServerSocketChannel server, String reply, java.util.List<String> received) {
        return Thread.ofVirtual().start(() -> {
            try (var c = server.accept();
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(c), StandardCharsets.UTF_8));
                    var w = java.nio.channels.Channels.newWriter(c, StandardCharsets.UTF_8)) {
                String line = in.readLine();
                if (line != null) {
                    received.add(line);
                    w.write(reply);
                    w.flush();
                }
            } catch (IOException e) {
                // the client only probed whether something listens
            }
        });
    }

    private java.nio.channels.ServerSocketChannel listenOnControlSocket() throws IOException {
        Files.createDirectories(home.resolve("data"));
        var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(home.resolve("data/tm.sock")));
        return server;
    }

    @Test
    void coordinatorFlagsBecomeFrameworkProperties() throws Exception {
        var options = CoordinatorOptions.parse(java.util.List.of("--listen", "0.0.0.0:7443", "--mesh-cidr", "100.64.0.0/16"));
        assertEquals(java.util.Map.of("tm.coordinator.listen", "0.0.0.0:7443", "tm.coordinator.mesh-cidr", "100.64.0.0/16"),
                options.frameworkProperties());
        assertEquals(java.util.Map.of("tm.coordinator.stun-port", "3479"),
                CoordinatorOptions.parse(java.util.List.of("--stun-port", "3479")).frameworkProperties());
        assertEquals(java.util.Map.of("tm.coordinator.stun-port", "0"),
                CoordinatorOptions.parse(java.util.List.of("--stun-port", "0")).frameworkProperties(), "0 turns STUN off");
        assertEquals(java.util.Map.of("tm.coordinator.listen", "[::]:7443"),
                CoordinatorOptions.parse(java.util.List.of("--listen", "[::]:7443")).frameworkProperties());
        assertEquals(java.util.Map.of("tm.coordinator.listen", "coord.example.net:443"),
                CoordinatorOptions.parse(java.util.List.of("--listen", "coord.example.net:443")).frameworkProperties());
        assertTrue(CoordinatorOptions.parse(java.util.List.of()).frameworkProperties().isEmpty());
    }

    /** Exit 2 and exactly one line naming the flag and the value, no stack trace. */
    private void assertOneLineRefusal(String expected, String... args) {
        err.reset();
        assertEquals(2, run(args), stderr());
        assertEquals(1, stderr().lines().count(), stderr());
        assertTrue(stderr().startsWith("tunnelmesh: ") && stderr().contains(expected), stderr());
        assertFalse(stderr().contains("Exception"), stderr());
    }

    @Test
    void coordinatorRefusesABadListenAddressInOneLine() {
        assertOneLineRefusal("--listen '7443' is not HOST:PORT", "coordinator", "--listen", "7443");
        assertOneLineRefusal("--listen ':7443' is not HOST:PORT", "coordinator", "--listen", ":7443");
        assertOneLineRefusal("put an IPv6 address in brackets", "coordinator", "--listen", "fd00::1:7443");
        assertOneLineRefusal("--listen '0.0.0.0:70000' has no valid port", "coordinator", "--listen", "0.0.0.0:70000");
        assertOneLineRefusal("--listen '0.0.0.0:http' has no valid port", "coordinator", "--listen", "0.0.0.0:http");
    }

    @Test
    void coordinatorRefusesABadMeshCidrInOneLine() {
        assertOneLineRefusal("--mesh-cidr '100.64.0.0' is not an IPv4 CIDR", "coordinator", "--mesh-cidr", "100.64.0.0");
        assertOneLineRefusal("--mesh-cidr 'fd00::/64' is not an IPv4 CIDR", "coordinator", "--mesh-cidr", "fd00::/64");
        assertOneLineRefusal("300 is more than 255", "coordinator", "--mesh-cidr", "100.300.0.0/16");
        assertOneLineRefusal("prefix length must be 8-30", "coordinator", "--mesh-cidr", "100.64.0.0/31");
        assertOneLineRefusal("did you mean 100.64.0.0/16?", "coordinator", "--mesh-cidr", "100.64.1.7/16");
    }

    @Test
    void coordinatorRefusesABadStunPortInOneLine() {
        assertOneLineRefusal("--stun-port '70000' is not a UDP port", "coordinator", "--stun-port", "70000");
        assertOneLineRefusal("--stun-port 'stun' is not a UDP port", "coordinator", "--stun-port", "stun");
        assertOneLineRefusal("--stun-port '-1' is not a UDP port", "coordinator", "--stun-port", "-1");
    }

    @Test
    void coordinatorRejectsUnknownOptionsAndMissingValuesWithUsage() {
        assertEquals(2, run("coordinator", "--port", "7443"));
        assertTrue(stderr().startsWith("tunnelmesh: coordinator: unknown option '--port'"), stderr());
        assertTrue(stderr().contains("coordinator [--listen HOST:PORT] [--mesh-cidr CIDR] [--stun-port N]"), "usage names the flags: " + stderr());
        err.reset();
        assertEquals(2, run("coordinator", "--listen"));
        assertTrue(stderr().startsWith("tunnelmesh: coordinator: --listen needs a value"), stderr());
    }

    @Test
    void coordinatorWithValidFlagsGetsAsFarAsLookingForBundles() {
        assertEquals(1, run("coordinator", "--listen", "127.0.0.1:7443", "--mesh-cidr", "100.64.0.0/16"));
        assertTrue(stderr().contains("no bundles at " + home.resolve("bundle")), stderr());
    }

    @Test
    void upAndCoordinatorRefuseToStartBesideARunningOneInOneLine() throws Exception {
        try (var server = listenOnControlSocket()) {
            for (String command : new String[] {"coordinator", "up"}) {
                err.reset();
                Thread probe = fakeRuntime(server, "", new java.util.ArrayList<>());
                assertEquals(1, run(command), stderr());
                assertEquals(1, stderr().lines().count(), stderr());
                assertTrue(stderr().contains("a node or coordinator is already running for this installation"), stderr());
                probe.join(5000);
            }
        }
    }

    @Test
    void joinRunsTmJoinOnTheRunningNodeWithEachWordQuoted() throws Exception {
        var received = new java.util.concurrent.CopyOnWriteArrayList<String>();
        try (var server = listenOnControlSocket()) {
            // isNodeRunning probes with a connection of its own first
            Thread probe = fakeRuntime(server, "", received);
            Thread node = Thread.ofVirtual().start(() -> {
                try {
                    probe.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                fakeRuntime(server, "joined as laptop\n\0EXIT 0\n", received);
            });
            assertEquals(0, run("join", "tm1_abc-DEF", "--name", "laptop"), stderr());
            node.join(5000);
        }
        assertEquals(java.util.List.of("tm:join 'tm1_abc-DEF' '--name' 'laptop'"), received);
        assertEquals("joined as laptop\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void joinPassesTheCommandsExitCodeAndOneLineErrorThrough() throws Exception {
        var received = new java.util.concurrent.CopyOnWriteArrayList<String>();
        try (var server = listenOnControlSocket()) {
            Thread probe = fakeRuntime(server, "", received);
            Thread node = Thread.ofVirtual().start(() -> {
                try {
                    probe.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                fakeRuntime(server, "\0ERR the token was already used: ask the coordinator's operator for a new one\n\0EXIT 65\n", received);
            });
            assertEquals(65, run("join", "--name", "laptop", "tm1_used"));
            node.join(5000);
        }
        assertEquals(java.util.List.of("tm:join 'tm1_used' '--name' 'laptop'"), received);
        assertEquals("the token was already used: ask the coordinator's operator for a new one\n", stderr());
    }

    @Test
    void joinWithoutANodeRunsInAOneShotRuntime() {
        // no node runs and this test installation has no bundles: the one-shot runtime is what fails
        assertEquals(1, run("join", "tm1_abc"));
        assertTrue(stderr().contains("no bundles at " + home.resolve("bundle")), stderr());
    }

    @Test
    void joinArgumentMistakesAreUsageErrors() {
        assertEquals(2, run("join"));
        assertTrue(stderr().startsWith("tunnelmesh: join needs a token"), stderr());
        err.reset();
        assertEquals(2, run("join", "tm1_a", "tm1_b"));
        assertTrue(stderr().startsWith("tunnelmesh: join takes one token"), stderr());
        err.reset();
        assertEquals(2, run("join", "tm1_a", "--name"));
        assertTrue(stderr().startsWith("tunnelmesh: join: --name needs a value"), stderr());
        err.reset();
        assertEquals(2, run("join", "tm1_a", "--reusable"));
        assertTrue(stderr().startsWith("tunnelmesh: join: unknown option '--reusable'"), stderr());
        assertTrue(stderr().contains("join TOKEN [--name NAME]"), "usage names the form: " + stderr());
        err.reset();
        assertEquals(2, run("join", "tm1_a'; stop 0"));
        assertTrue(stderr().contains("contains a quote"), stderr());
    }

    @Test
    void usageListsCoordinatorAndJoin() {
        assertEquals(0, run("help"));
        String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.contains("coordinator [--listen HOST:PORT] [--mesh-cidr CIDR]"), usage);
        assertTrue(usage.contains("join TOKEN [--name NAME]"), usage);
    }

    @Test
    void eachRuntimeLeavesItsOwnBundlesStoppedByDefault() throws Exception {
        var props = FrameworkProperties.load(new Installation(home, home.resolve("config"), home.resolve("data")), java.util.Map.of());
        assertEquals(java.util.Set.of("tm-node", "tm-tun", "tm-transport-udp", "tm-transport-relay", "tm-coordinator", "tm-coordinator-store-sqlite"),
                FrameworkProperties.bundleNames(props, OneShotRunner.SKIP_PROPERTY), "join needs tm-coordinator-client in one-shot runs");
        assertEquals(java.util.Set.of("tm-coordinator", "tm-coordinator-store-sqlite"),
                FrameworkProperties.bundleNames(props, NodeRunner.SKIP_PROPERTY));
        assertEquals(java.util.Set.of("tm-node", "tm-tun", "tm-transport-udp", "tm-transport-relay", "tm-coordinator-client"),
                FrameworkProperties.bundleNames(props, CoordinatorRunner.SKIP_PROPERTY));
    }

    @Test
    void theShippedFrameworkPropertiesListTheSameSkipListsAsTheDefaults() throws Exception {
        Path shipped = Path.of("../config/framework.properties").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(shipped), "config/framework.properties not found at " + shipped);
        Files.createDirectories(home.resolve("config"));
        Files.copy(shipped, home.resolve("config/framework.properties"));
        var installation = new Installation(home, home.resolve("config"), home.resolve("data"));
        var withFile = FrameworkProperties.load(installation, java.util.Map.of());
        Files.delete(home.resolve("config/framework.properties"));
        var defaults = FrameworkProperties.load(installation, java.util.Map.of());
        for (String skip : new String[] {OneShotRunner.SKIP_PROPERTY, NodeRunner.SKIP_PROPERTY, CoordinatorRunner.SKIP_PROPERTY}) {
            assertEquals(FrameworkProperties.bundleNames(defaults, skip), FrameworkProperties.bundleNames(withFile, skip), skip);
        }
    }

    @Test
    void aSkipListCanBeChangedOrEmptiedInFrameworkProperties() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/framework.properties"), "tm.node.skip=\ntm.coordinator.skip= tm-tun ,, tm-node \n");
        var props = FrameworkProperties.load(new Installation(home, home.resolve("config"), home.resolve("data")), java.util.Map.of());
        assertTrue(FrameworkProperties.bundleNames(props, NodeRunner.SKIP_PROPERTY).isEmpty());
        assertEquals(java.util.Set.of("tm-tun", "tm-node"), FrameworkProperties.bundleNames(props, CoordinatorRunner.SKIP_PROPERTY));
    }

    @Test
    void sqliteUnpacksItsNativeLibraryIntoTheInstallationNotTmp() {
        run("pubkey"); // a one-shot runtime: prepares data/ and the native folder before it looks for bundles
        assertEquals(home.resolve("data/native").toString(), System.getProperty("org.sqlite.tmpdir"));
        assertEquals(System.getProperty("io.netty.native.workdir"), System.getProperty("org.sqlite.tmpdir"));
    }

    @Test
    void nettyLeavesTheFlightRecorderAloneUnlessTheOperatorAsksForIt() {
        String before = System.clearProperty(FrameworkLauncher.NETTY_JFR);
        try {
            run("pubkey");
            assertEquals("false", System.getProperty(FrameworkLauncher.NETTY_JFR));
            System.setProperty(FrameworkLauncher.NETTY_JFR, "true"); // as -Dio.netty.jfr.enabled=true would
            run("pubkey");
            assertEquals("true", System.getProperty(FrameworkLauncher.NETTY_JFR));
        } finally {
            if (before == null) {
                System.clearProperty(FrameworkLauncher.NETTY_JFR);
            } else {
                System.setProperty(FrameworkLauncher.NETTY_JFR, before);
            }
        }
    }
}
