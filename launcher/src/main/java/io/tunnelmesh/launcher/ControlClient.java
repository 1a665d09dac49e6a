package io.tunnelmesh.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs Gogo command lines in a running node over its Unix domain control socket. */
final class ControlClient implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    /** @throws CliFailure (exit 3) when no node or coordinator is running at that socket */
    static ControlClient connect(Path socket) throws CliFailure {
        Installation.checkSocketPath(socket);
        if (!Files.exists(socket)) {
            throw notRunning(socket);
        }
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new ControlClient(ch);
        } catch (AccessDeniedException e) {
            throw new CliFailure("cannot open " + socket + ": permission denied; run as the user that runs the node", 3);
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("ermission")) {
                throw new CliFailure("cannot open " + socket + ": permission denied; run as the user that runs the node", 3);
            }
            throw notRunning(socket);
        }
    }

    static boolean isNodeRunning(Path socket) {
        try (ControlClient c = connect(socket)) {
            return true;
        } catch (CliFailure e) {
            return false;
        }
    }

    private static CliFailure notRunning(Path socket) {
        return new CliFailure("no node or coordinator is running for this installation (no control socket at " + socket
                + "): start one with 'bin/tunnelmesh up' (or 'bin/tunnelmesh coordinator')", 3);
    }

    /**
     * Sends one command line and copies the reply to {@code stdout}/{@code stderr}.
     *
     * @return the command's exit code
     */
    int run(String commandLine, PrintStream stdout, PrintStream stderr) throws CliFailure {
        try {
            out.write(commandLine.replace('\n', ' ').replace('\r', ' '));
            out.write('\n');
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(ControlFrames.EXIT)) {
                    return Integer.parseInt(line.substring(ControlFrames.EXIT.length()).trim());
                } else if (line.startsWith(ControlFrames.ERROR)) {
                    stderr.println(line.substring(ControlFrames.ERROR.length()));
                } else {
                    stdout.println(line);
                }
            }
            if (commandLine.strip().matches("(felix:)?stop\\s+0")) {
                return 0; // the node stopped, as asked: its connection ends with it
            }
            throw new CliFailure("the node closed the control connection (it is probably stopping)", 3);
        } catch (IOException | NumberFormatException e) {
            throw new CliFailure("lost the control connection to the node: " + e.getMessage(), 3);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
