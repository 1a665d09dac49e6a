package io.tunnelmesh.ssh.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code ssh-agent -D -a SOCKET} owned by one test; {@link #close()} kills exactly this process. */
public final class SshAgentProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private SshAgentProcess(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    public static SshAgentProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, Map.of());
    }

    /** @param agentEnv extra environment of the agent itself, e.g. an SSH_ASKPASS that denies confirmations */
    public static SshAgentProcess start(Path dir, Map<String, String> agentEnv) throws IOException, InterruptedException {
        OpenSshTools.assumeTool("ssh-agent");
        OpenSshTools.assumeTool("ssh-add");
        Path socket = dir.resolve("agent.sock");
        ProcessBuilder pb = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(agentEnv);
        Process p = pb.start();
        SshAgentProcess agent = new SshAgentProcess(p, socket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // The socket file appears at bind(2), a moment before listen(2): until then a client gets "connection
        // refused" (seen on a loaded CI machine), so wait until the agent accepts a connection.
        while (!accepts(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                agent.close();
                throw new IOException("ssh-agent did not listen on " + socket + " within 10 s");
            }
            Thread.sleep(20);
        }
        return agent;
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path socket() {
        return socket;
    }

    /** Environment for tools that should talk to this agent. */
    public Map<String, String> env() {
        return Map.of("SSH_AUTH_SOCK", socket.toString());
    }

    /** {@code ssh-add KEY} (an unencrypted key file). */
    public void add(Path key, String... options) throws IOException, InterruptedException {
        String[] cmd = new String[options.length + 2];
        cmd[0] = "ssh-add";
        System.arraycopy(options, 0, cmd, 1, options.length);
        cmd[cmd.length - 1] = key.toString();
        OpenSshTools.run(env(), cmd);
    }

    /** {@code ssh-add KEY} for a passphrase-protected key: the passphrase comes from an askpass script. */
    public void addWithPassphrase(Path key, String passphrase) throws IOException, InterruptedException {
        Path askpass = key.resolveSibling("askpass-" + key.getFileName() + ".sh");
        Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' '" + passphrase.replace("'", "") + "'\n");
        Files.setPosixFilePermissions(askpass, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try {
            OpenSshTools.run(Map.of("SSH_AUTH_SOCK", socket.toString(), "SSH_ASKPASS", askpass.toString(),
                    "SSH_ASKPASS_REQUIRE", "force", "DISPLAY", ":0"), "ssh-add", key.toString());
        } finally {
            Files.delete(askpass);
        }
    }

    /** {@code ssh-add -x}: locks the agent with {@code password} (read from stdin when there is no terminal). */
    public void lock(String password) throws IOException, InterruptedException {
        OpenSshTools.run(env(), "sh", "-c", "printf '%s\\n%s\\n' '" + password + "' '" + password
                + "' | ssh-add -x");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the temp dir cleanup removes it
        }
    }
}
