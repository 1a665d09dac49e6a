package io.tunnelmesh.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client side of the control socket against a scripted node speaking the same framing. */
class ControlClientTest {
    @TempDir
    Path dir;

    @Test
    void outputGoesToStdoutErrorsToStderrAndTheExitCodeIsReturned() throws Exception {
        Path socket = dir.resolve("tm.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread node = Thread.ofVirtual().start(() -> {
                try (SocketChannel c = server.accept();
                        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                        Writer w = Channels.newWriter(c, StandardCharsets.UTF_8)) {
                    assertEquals("tm:peers", in.readLine());
                    w.write("peer: abc\n  endpoint: 192.0.2.1:51820\n\0EXIT 0\n");
                    w.flush();
                    assertEquals("tm:peer-add x", in.readLine());
                    w.write("\0ERR public key 'x' is not base64\n\0EXIT 2\n");
                    w.flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (ControlClient client = ControlClient.connect(socket)) {
                PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
                assertEquals(0, client.run("tm:peers", o, e));
                assertEquals(2, client.run("tm:peer-add x", o, e));
            }
            node.join(5000);
            assertEquals("peer: abc\n  endpoint: 192.0.2.1:51820\n", out.toString(StandardCharsets.UTF_8));
            assertEquals("public key 'x' is not base64\n", err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aStaleSocketFileMeansNoNodeIsRunning() throws Exception {
        Path socket = dir.resolve("tm.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        // the file is still there, nobody listens
        assertTrue(socket.toFile().exists());
        CliFailure f = org.junit.jupiter.api.Assertions.assertThrows(CliFailure.class, () -> ControlClient.connect(socket));
        assertEquals(3, f.exitCode());
        assertTrue(f.getMessage().contains("no node or coordinator is running"), f.getMessage());
    }
}
