package io.tunnelmesh.ssh.testing;

import java.io.IOException;
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
        OpenSshTools.assumeTool("ssh-agent");
        OpenSshTools.assumeTool("ssh-add");
        Path socket = dir.resolve("agent.sock");
        Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        SshAgentProcess agent = new SshAgentProcess(p, socket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                agent.close();
                throw new IOException("ssh-agent did not create " + socket);
            }
            Thread.sleep(20);
        }
        return agent;
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
