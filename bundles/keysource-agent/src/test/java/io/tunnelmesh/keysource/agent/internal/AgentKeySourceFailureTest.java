package io.tunnelmesh.keysource.agent.internal;

import static io.tunnelmesh.ssh.testing.KeySourceAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.testing.OpenSshTools;
import io.tunnelmesh.ssh.testing.SshAgentProcess;
import io.tunnelmesh.ssh.testing.TestKeys;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every agent problem gives one clear line and its exit code, never a stack trace. */
class AgentKeySourceFailureTest {
    private static AgentKeySource source(Path socket, String key) {
        return new AgentKeySource(socket == null ? null : socket.toString(), key, Duration.ofSeconds(2), null);
    }

    @Test
    void noSocketConfigured() {
        fails(ExitCodes.UNAVAILABLE, "SSH_AUTH_SOCK is not set", () -> source(null, null).identity());
    }

    @Test
    void missingSocket(@TempDir Path dir) {
        fails(ExitCodes.UNAVAILABLE, "does not exist", () -> source(dir.resolve("gone.sock"), null).identity());
    }

    @Test
    void deadAgentSocket(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("dead.sock");
        // a socket file nobody listens on: what a killed agent leaves behind
        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(sock)).close();
        fails(ExitCodes.UNAVAILABLE, "connection refused", () -> source(sock, null).identity());
    }

    @Test
    void agentThatNeverAnswersTimesOut(@TempDir Path dir) throws Exception {
        Path sock = dir.resolve("mute.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            AgentKeySource source = new AgentKeySource(sock.toString(), null, Duration.ofSeconds(1), null);
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (SocketChannel c = server.accept()) {
                    Thread.sleep(3000);
                } catch (Exception ignored) {
                    // the test is over
                }
            });
            fails(ExitCodes.UNAVAILABLE, "did not answer within 1 s", source::identity);
            acceptor.interrupt();
        }
    }

    @Test
    void emptyAgent(@TempDir Path dir) throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            fails(ExitCodes.UNAVAILABLE, "holds no keys", () -> source(agent.socket(), null).identity());
        }
    }

    @Test
    void lockedAgent(@TempDir Path dir) throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1"));
            agent.lock("lockpw");
            fails(ExitCodes.UNAVAILABLE, "ssh-add -X", () -> source(agent.socket(), null).identity());
        }
    }

    @Test
    void agentRefusingToSign(@TempDir Path dir) throws Exception {
        // ssh-add -c: the agent asks for confirmation through SSH_ASKPASS, which here always says no
        try (SshAgentProcess agent = SshAgentProcess.start(dir, Map.of("SSH_ASKPASS", "/bin/false",
                "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0"))) {
            agent.add(TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1"), "-c");
            fails(ExitCodes.UNAVAILABLE, "refused to sign", () -> source(agent.socket(), null).identity());
        }
    }

    @Test
    void keyNotLoaded(@TempDir Path dir) throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1"));
            KeySourceException e = fails(ExitCodes.UNAVAILABLE, "is not loaded",
                    () -> source(agent.socket(), "SHA256:vMbaARqVciRgXyZPNHDo+P5p5WK5yWG1Oo6VC35Bomw").identity());
            assertTrue(e.getMessage().contains("SHA256:L3k/oJubblSY0lB9Ulsl7emDMnRPKm/8udf2ccwk560"), e.getMessage());
        }
    }

    @Test
    void unsuitableKeysAreRefusedSayingWhy(@TempDir Path dir) throws Exception {
        OpenSshTools.assumeTool("ssh-keygen");
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(OpenSshTools.generate(dir, "id_ecdsa", "ecdsa", 256));
            fails(ExitCodes.DATA, "random nonce", () -> source(agent.socket(), null).identity());
            fails(ExitCodes.DATA, "ssh-ed25519", () -> source(agent.socket(), "id_ecdsa").identity());
        }
    }

    @Test
    void twoUsableKeysNeedAChoice(@TempDir Path dir) throws Exception {
        try (SshAgentProcess agent = SshAgentProcess.start(dir)) {
            agent.add(TestKeys.privateKey(dir, "third-party/openssh-regress/ed25519_1"));
            agent.add(TestKeys.privateKey(dir, "third-party/ssh-to-age/id_ed25519"));
            fails(ExitCodes.CONFIG, "--key", () -> source(agent.socket(), null).identity());
            assertEquals("SHA256:wEPu5zkkhaJZhOM5BFhVJnRbJC7OEuRKz/lt2XCrN8I",
                    source(agent.socket(), "joerg@turingmachine").identity().sshFingerprint());
        }
    }
}
