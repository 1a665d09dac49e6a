package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlFrames;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.JoinToken;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import io.tunnelmesh.control.Welcome;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** A node speaking the real protocol over a blocking socket, as the client bundle would. */
final class TestNode {
    private static final ControlCodec CODEC = new ControlCodec();

    final StaticKeyPair key;
    final String hostname;
    int listenPort = 51820;
    List<String> endpoints = List.of();
    String sshPublicKey;
    String binding;
    String bindAddress = "127.0.0.1";
    /** How long to wait for the welcome; the load test raises it (joins queue behind the store's fsyncs). */
    int welcomeTimeoutMillis = 5000;

    TestNode(String hostname) {
        byte[] raw = NoiseDh.DH25519.generatePrivateKey(new SecureRandom());
        key = new StaticKeyPair(raw, NodeKey.of(NoiseDh.DH25519.publicKey(raw)));
        this.hostname = hostname;
    }

    NodeKey publicKey() {
        return key.publicKey();
    }

    Hello joinHello(String token, String name) {
        String id = null;
        String secret = null;
        if (token != null) {
            JoinToken parsed = JoinToken.parse(token);
            id = parsed.tokenId();
            secret = parsed.hasSecret() ? Base64.getUrlEncoder().withoutPadding().encodeToString(parsed.secret()) : null;
        }
        return new Hello(1, Hello.JOIN, id, secret, name, hostname, sshPublicKey, null, binding, listenPort, endpoints);
    }

    Hello connectHello() {
        return new Hello(1, Hello.CONNECT, null, null, null, hostname, null, null, null, listenPort, endpoints);
    }

    /** Joins and returns the welcome (the coordinator closes the connection after it). */
    Welcome join(TestCoordinator c, String token, String name) throws Exception {
        try (Link link = open(c, joinHello(token, name))) {
            return link.welcome;
        }
    }

    Link connect(TestCoordinator c) throws Exception {
        return open(c, connectHello());
    }

    Link open(TestCoordinator c, Hello hello) throws Exception {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(bindAddress, 0));
        socket.connect(c.address(), 5000);
        socket.setSoTimeout(welcomeTimeoutMillis);
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        ControlHandshake.Initiation init = ControlHandshake.initiate(key, c.publicKey(), CODEC.encode(hello));
        ControlFrames.writePreamble(out);
        ControlFrames.writeFrame(out, init.message());
        out.flush();
        ControlHandshake.Established established = init.finish(ControlFrames.readFrame(in));
        Welcome welcome = (Welcome) CODEC.decode(established.payload());
        return new Link(socket, out, in, established.session(), welcome);
    }

    /** An established control connection. */
    static final class Link implements AutoCloseable {
        final Socket socket;
        final Welcome welcome;
        private final OutputStream out;
        private final DataInputStream in;
        final ControlSession session;

        Link(Socket socket, OutputStream out, DataInputStream in, ControlSession session, Welcome welcome) {
            this.socket = socket;
            this.out = out;
            this.in = in;
            this.session = session;
            this.welcome = welcome;
        }

        /** The next message (pings answered) within {@code timeout}; null when the coordinator closed the connection. */
        ControlMessage next(Duration timeout) throws IOException, ControlProtocolException {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            try {
                while (true) {
                    byte[] whole = session.open(ControlFrames.readFrame(in));
                    if (whole == null) {
                        continue;
                    }
                    ControlMessage m = CODEC.decode(whole);
                    if (m instanceof Ping ping) {
                        send(new Pong(ping.nonce())); // as a node does, or the coordinator closes a silent session
                        continue;
                    }
                    return m;
                }
            } catch (EOFException e) {
                return null;
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no message from the coordinator within " + timeout.toMillis() + " ms");
            }
        }

        /** Skips other messages (pings, unrelated deltas) until one of {@code type} arrives within {@code timeout}. */
        <T extends ControlMessage> T next(Class<T> type, Duration timeout) throws IOException, ControlProtocolException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " within " + timeout.toMillis() + " ms");
                }
                ControlMessage m = next(Duration.ofNanos(left));
                if (m == null) {
                    throw new AssertionError("connection closed while waiting for " + type.getSimpleName());
                }
                if (type.isInstance(m)) {
                    return type.cast(m);
                }
            }
        }

        synchronized void send(ControlMessage message) throws IOException {
            sendRaw(CODEC.encode(message));
        }

        synchronized void sendRaw(byte[] plaintext) throws IOException {
            for (byte[] frame : session.seal(plaintext)) {
                ControlFrames.writeFrame(out, frame);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
