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
        assertTrue(stderr().contains("no node is running") && stderr().contains("tunnelmesh up"), stderr());
    }

    @Test
    void statusAndPeersWithoutANodeExit3() {
        assertEquals(3, run("status"));
        assertEquals(3, run("peers"));
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
}
