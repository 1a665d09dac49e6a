package io.tunnelmesh.keysource.agent.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * One connection to an ssh-agent over its Unix domain socket (JDK 16+, no native code), speaking the agent
 * protocol's framing: uint32 length ‖ byte type ‖ body. Every wait is bounded, because an agent may hold a request
 * while it asks the user to confirm ({@code ssh-add -c}).
 */
final class AgentConnection implements AutoCloseable {
    /** OpenSSH's own limit on an agent message (AGENT_MAX_LEN). */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMillis;

    /** A reply: its message type and body. */
    record Reply(int type, byte[] body) {
    }

    private AgentConnection(Path socket, SocketChannel channel, Selector selector, long timeoutMillis) {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.timeoutMillis = timeoutMillis;
    }

    static AgentConnection open(Path socket, Duration timeout) throws KeySourceException {
        if (!Files.exists(socket)) {
            throw new KeySourceException("ssh-agent socket " + socket + " does not exist (is the agent running?):"
                    + " start one with eval \"$(ssh-agent)\" and ssh-add your key", ExitCodes.UNAVAILABLE);
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket)); // local connect completes or fails at once
            channel.configureBlocking(false);
            Selector selector = Selector.open();
            return new AgentConnection(socket, channel, selector, timeout.toMillis());
        } catch (ConnectException e) {
            closeQuietly(channel);
            throw new KeySourceException("no ssh-agent is listening on " + socket + " (connection refused; a dead"
                    + " agent left its socket behind): start ssh-agent again and ssh-add your key",
                    ExitCodes.UNAVAILABLE);
        } catch (AccessDeniedException e) {
            closeQuietly(channel);
            throw new KeySourceException("no permission to use ssh-agent socket " + socket + ": run as the user who"
                    + " owns the agent", ExitCodes.UNAVAILABLE);
        } catch (IOException e) {
            closeQuietly(channel);
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new KeySourceException("cannot connect to ssh-agent socket " + socket + ": " + reason,
                    ExitCodes.UNAVAILABLE);
        }
    }

    /** Sends one request and waits (bounded) for its reply. */
    Reply request(int type, byte[] body) throws KeySourceException {
        ByteBuffer out = ByteBuffer.allocate(5 + body.length);
        out.putInt(1 + body.length).put((byte) type).put(body).flip();
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                await(deadline);
                channel.write(out);
            }
            Arrays.fill(out.array(), (byte) 0); // the request may carry data whose signature is secret
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer header = ByteBuffer.allocate(4);
            fill(header, deadline);
            int length = header.getInt(0);
            if (length < 1 || length > MAX_MESSAGE) {
                throw new KeySourceException("ssh-agent at " + socket + " sent a malformed reply (length " + length
                        + ")", ExitCodes.UNAVAILABLE);
            }
            ByteBuffer reply = ByteBuffer.allocate(length);
            fill(reply, deadline);
            int replyType = reply.get(0) & 0xff;
            byte[] replyBody = Arrays.copyOfRange(reply.array(), 1, length);
            Arrays.fill(reply.array(), (byte) 0); // a sign response is a secret: keep one copy only
            return new Reply(replyType, replyBody);
        } catch (IOException e) {
            throw new KeySourceException("lost the connection to ssh-agent at " + socket + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")",
                    ExitCodes.UNAVAILABLE);
        }
    }

    private void fill(ByteBuffer buf, long deadline) throws IOException, KeySourceException {
        while (buf.hasRemaining()) {
            await(deadline);
            if (channel.read(buf) < 0) {
                throw new KeySourceException("ssh-agent at " + socket + " closed the connection without answering",
                        ExitCodes.UNAVAILABLE);
            }
        }
    }

    private void await(long deadline) throws IOException, KeySourceException {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || selector.select(left) == 0 && System.currentTimeMillis() >= deadline) {
            throw new KeySourceException("ssh-agent at " + socket + " did not answer within "
                    + timeoutMillis / 1000 + " s (waiting for a confirmation?)", ExitCodes.UNAVAILABLE);
        }
        selector.selectedKeys().clear();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a failed socket cannot fail usefully
            }
        }
    }
}
