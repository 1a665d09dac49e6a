package io.tunnelmesh.coordinator.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.JoinToken;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tm:join}'s work against a real coordinator socket on 127.0.0.1: what it sends, what it writes, how it fails. */
class JoinerTest {
    private static final EndpointsReport LOCAL = new EndpointsReport(51820, List.of("192.0.2.1:51820"));
    private static final byte[] SECRET = new byte[32];

    @TempDir
    Path home;
    private TestCoordinator coordinator;
    private InstallationPaths paths;
    private Joiner joiner;
    private final NodeIdentity identity = TestKeys.identity();

    @BeforeEach
    void start() throws IOException {
        coordinator = new TestCoordinator();
        paths = new InstallationPaths(home.resolve("config"), home.resolve("data"));
        joiner = new Joiner(new CoordinatorDialer(Duration.ofSeconds(5)), new ControlCodec(), Duration.ofSeconds(5), paths);
        for (int i = 0; i < SECRET.length; i++) {
            SECRET[i] = (byte) i;
        }
    }

    @AfterEach
    void stop() throws IOException {
        coordinator.close();
    }

    private String token(String... addresses) {
        return new JoinToken(coordinator.publicKey(), "0123456789abcdef", SECRET, List.of(addresses)).encode();
    }

    @Test
    void joinSendsTheTokenAndWritesExactlyTheThreeFiles() throws Exception {
        Admission admission = joiner.join(identity, new JoinOptions(token(coordinator.address()), "laptop"), LOCAL);

        Hello hello = coordinator.hellos.poll();
        assertEquals(Hello.JOIN, hello.mode());
        assertEquals(1, hello.version());
        assertEquals("0123456789abcdef", hello.tokenId());
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(SECRET), hello.tokenSecret());
        assertEquals("laptop", hello.name());
        assertEquals(Base64.getEncoder().encodeToString(identity.sshPublicKey()), hello.sshPublicKey());
        assertEquals("SHA256:testfingerprint", hello.sshFingerprint());
        assertEquals(Base64.getEncoder().encodeToString(identity.binding()), hello.binding());
        assertEquals(51820, hello.listenPort());
        assertEquals(List.of("192.0.2.1:51820"), hello.endpoints());
        assertFalse(hello.hostname().isBlank());

        assertEquals(List.of("joined mesh as laptop", "address: 100.64.0.7/16", "address: fd00:64::7/64",
                "run 'tunnelmesh up' to start the node"), admission.report(false));
        assertEquals("the running node picks it up", admission.report(true).getLast());

        assertEquals(List.of("config/.", "config/io.tunnelmesh.coordinator.client.cfg", "config/io.tunnelmesh.node.cfg",
                "data/.", "data/mesh.psk"), files());
        Map<String, String> client = NodeConfigFile.readProperties(Files.readString(paths.clientConfig()));
        assertEquals(Map.of("coordinator.key", coordinator.publicKey().toBase64(), "coordinator.addresses", coordinator.address(),
                "name", "laptop"), client);
        assertEquals("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", Files.readString(paths.psk()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.psk())));
        Map<String, String> node = NodeConfigFile.readProperties(Files.readString(paths.nodeConfig().path()));
        assertEquals("100.64.0.7/16,fd00:64::7/64", node.get("address"));
        assertEquals(paths.psk().toAbsolutePath().toString(), node.get("psk.file"));
        assertTrue(Path.of(node.get("psk.file")).isAbsolute());
    }

    @Test
    void aRejoinKeepsTheOperatorsStunServers() throws Exception {
        Files.createDirectories(paths.configDir());
        Files.writeString(paths.clientConfig(), "coordinator.key=old\nname=old\nstun.servers=coordinator,stun.example.org:3478\n");
        joiner.join(identity, new JoinOptions(token(coordinator.address()), "laptop"), LOCAL);
        Map<String, String> client = NodeConfigFile.readProperties(Files.readString(paths.clientConfig()));
        assertEquals("coordinator,stun.example.org:3478", client.get("stun.servers"));
        assertEquals("laptop", client.get("name"));
        assertEquals(coordinator.publicKey().toBase64(), client.get("coordinator.key"));
    }

    @Test
    void joinKeepsEveryOtherLineOfAnExistingNodeConfig() throws Exception {
        Files.createDirectories(paths.configDir());
        List<String> before = List.of("# The node", "interface.name=tm7", "# address comment stays", "address=10.99.0.1/24",
                "listen.port=51999", "mtu=1420", "psk.file=", "# trailing comment");
        Files.write(paths.nodeConfig().path(), before);

        joiner.join(identity, new JoinOptions(token(coordinator.address()), null), LOCAL);

        List<String> after = Files.readAllLines(paths.nodeConfig().path());
        assertEquals(List.of("# The node", "interface.name=tm7", "# address comment stays",
                "address=100.64.0.7/16,fd00:64::7/64", "listen.port=51999", "mtu=1420",
                "psk.file=" + paths.psk().toAbsolutePath(), "# trailing comment"), after);
        assertEquals(51999, paths.nodeConfig().listenPort());
        assertEquals("tm7", paths.nodeConfig().interfaceName());
    }

    @Test
    void aRefusedJoinIsOneLineWithTheCodeAndWritesNothing() {
        coordinator.welcomes = hello -> TestCoordinator.refusal("this token was already used", "TOKEN_USED");

        JoinFailedException e = assertThrows(JoinFailedException.class,
                () -> joiner.join(identity, new JoinOptions(token(coordinator.address()), null), LOCAL));

        assertEquals("join refused: this token was already used (TOKEN_USED)", e.getMessage());
        assertEquals(List.of("config/.", "data/."), files());
    }

    @Test
    void anUnreachableCoordinatorNamesEveryAddressTried() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // free again once closed: nothing listens there
        }
        String a = "127.0.0.1:" + closed;

        JoinFailedException e = assertThrows(JoinFailedException.class,
                () -> joiner.join(identity, new JoinOptions(token(a, "[::1]:" + closed), null), LOCAL));

        assertTrue(e.getMessage().startsWith("coordinator unreachable at " + a + ", [::1]:" + closed + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; check the address and that 'tunnelmesh coordinator' runs there"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void theNextAddressIsTriedWhenTheFirstDoesNotAnswer() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Admission admission = joiner.join(identity, new JoinOptions(token("127.0.0.1:" + closed, coordinator.address()), null), LOCAL);
        assertEquals("laptop", admission.name());
    }

    @Test
    void aTokenForAnotherCoordinatorKeyFailsInOneLine() {
        String wrongKey = new JoinToken(TestKeys.keyPair().publicKey(), "0123456789abcdef", SECRET,
                List.of(coordinator.address())).encode();

        JoinFailedException e = assertThrows(JoinFailedException.class,
                () -> joiner.join(identity, new JoinOptions(wrongKey, null), LOCAL));

        assertTrue(e.getMessage().startsWith("join failed: coordinator at " + coordinator.address()
                + " closed the connection during the handshake"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aMalformedTokenIsAnArgumentError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> joiner.join(identity, new JoinOptions("tm1_AAAA", null), LOCAL));
        assertTrue(e.getMessage().startsWith("join token: "), e.getMessage());
        assertNull(coordinator.hellos.poll());
    }

    @Test
    void optionsTakeTheNameBeforeOrAfterTheToken() {
        assertEquals(new JoinOptions("tm1_x", "n1"), JoinOptions.parse(List.of("--name", "n1", "tm1_x")));
        assertEquals(new JoinOptions("tm1_x", "n1"), JoinOptions.parse(List.of("tm1_x", "--name", "n1")));
        assertEquals(new JoinOptions("tm1_x", null), JoinOptions.parse(List.of("tm1_x")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JoinOptions.parse(List.of()))
                .getMessage().contains("tm:join TOKEN [--name NAME]"));
        assertThrows(IllegalArgumentException.class, () -> JoinOptions.parse(List.of("tm1_x", "--name")));
        assertThrows(IllegalArgumentException.class, () -> JoinOptions.parse(List.of("tm1_x", "--force")));
    }

    /** Every file under the installation, relative, with "/." for each folder. */
    private List<String> files() {
        try (Stream<Path> walk = Files.walk(home)) {
            return walk.filter(p -> !p.equals(home))
                    .map(p -> home.relativize(p).toString().replace('\\', '/') + (Files.isDirectory(p) ? "/." : ""))
                    .sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
