package io.tunnelmesh.keysource.agent.internal;

import static io.tunnelmesh.ssh.testing.KeySourceAssertions.fails;

import io.tunnelmesh.ssh.internal.ExitCodes;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshWire;
import io.tunnelmesh.ssh.testing.TestKeys;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that lists a real public key but answers sign requests with whatever it likes: the key source must
 * check every signature against the public key before turning it into key material.
 */
class ForgingAgentTest {
    /** Serves identities, then answers each sign request with {@code signatureBlob}. */
    private static Thread serve(ServerSocketChannel server, SshPublicKey key, byte[] signatureBlob) {
        return Thread.ofVirtual().start(() -> {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    ByteBuffer header = ByteBuffer.allocate(4);
                    while (header.hasRemaining() && c.read(header) >= 0) {
                        // read the length
                    }
                    ByteBuffer request = ByteBuffer.allocate(header.getInt(0));
                    while (request.hasRemaining() && c.read(request) >= 0) {
                        // read the request
                    }
                    byte[] reply = request.get(0) == AgentClient.SSH2_AGENTC_REQUEST_IDENTITIES
                            ? new SshWire.Writer().byteValue(AgentClient.SSH2_AGENT_IDENTITIES_ANSWER).uint32(1)
                                    .string(key.blob()).string("forged").toByteArray()
                            : new SshWire.Writer().byteValue(AgentClient.SSH2_AGENT_SIGN_RESPONSE)
                                    .string(signatureBlob).toByteArray();
                    c.write(ByteBuffer.wrap(new SshWire.Writer().string(reply).toByteArray()));
                } catch (IOException e) {
                    return; // server closed
                }
            }
        });
    }

    private static void refuses(Path dir, byte[] signatureBlob, int exit, String message) throws Exception {
        refuses(dir, "third-party/openssh-regress/ed25519_1.pub", signatureBlob, exit, message);
    }

    private static void refuses(Path dir, String pub, byte[] signatureBlob, int exit, String message)
            throws Exception {
        SshPublicKey key = SshPublicKey.parseOpenSsh(TestKeys.text(pub));
        Path sock = dir.resolve("forger.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            serve(server, key, signatureBlob);
            fails(exit, message, () -> new AgentKeySource(sock.toString(), null, Duration.ofSeconds(5), null)
                    .identity());
        }
    }

    @Test
    void signatureThatDoesNotVerifyIsRefused(@TempDir Path dir) throws Exception {
        refuses(dir, new SshWire.Writer().string("ssh-ed25519").string(new byte[64]).toByteArray(), ExitCodes.DATA,
                "does not verify");
    }

    @Test
    void signatureOfTheWrongAlgorithmIsRefused(@TempDir Path dir) throws Exception {
        refuses(dir, new SshWire.Writer().string("ssh-rsa").string(new byte[256]).toByteArray(), ExitCodes.DATA,
                "instead of ssh-ed25519");
    }

    /** An agent holding only a FIDO key (no hardware here: the listing is made up, the key is OpenSSH's). */
    @Test
    void fidoKeyInTheAgentIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
        refuses(dir, "third-party/openssh-regress/ed25519_sk1.pub", new byte[0], ExitCodes.DATA, "touch");
    }

    @Test
    void malformedSignatureIsRefused(@TempDir Path dir) throws Exception {
        refuses(dir, new byte[] {0, 0, 0, 99}, ExitCodes.DATA, "malformed");
    }
}
