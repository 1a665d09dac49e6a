package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.ControlFrames;
import io.tunnelmesh.control.ControlHandshake;
import io.tunnelmesh.control.ControlMessage;
import io.tunnelmesh.control.ControlProtocolException;
import io.tunnelmesh.control.ControlSession;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.Welcome;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A minimal coordinator on 127.0.0.1 speaking the real protocol (preamble, Noise IK, framed JSON): it answers each
 * hello with what {@link #welcomes} says, then sends {@link #afterWelcome} and whatever the test sends through the
 * connection's {@link Session}. Records every hello and every message a node sends.
 */
final class TestCoordinator implements AutoCloseable {
    final StaticKeyPair key = TestKeys.keyPair();
    final BlockingQueue<Hello> hellos = new LinkedBlockingQueue<>();
    final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();
    volatile Function<Hello, Welcome> welcomes = hello -> welcome();
    volatile List<ControlMessage> afterWelcome = List.of();

    private final ControlCodec codec = new ControlCodec();
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    TestCoordinator() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().name("test-coordinator").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    NodeKey publicKey() {
        return key.publicKey();
    }

    /** A successful welcome for a node at 100.64.0.7 / fd00:64::7 in 100.64.0.0/16 and fd00:64::/64. */
    static Welcome welcome() {
        return new Welcome(null, null, new io.tunnelmesh.control.NodeEntry(null, "laptop", "100.64.0.7", "fd00:64::7",
                List.of(), null, true), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "100.64.0.0/16", "fd00:64::/64");
    }

    static Welcome refusal(String error, String code) {
        return new Welcome(error, code, null, null, null, null);
    }

    /** The next connection's session, waiting at most {@code timeout}. */
    Session nextSession(Duration timeout) throws InterruptedException {
        Session s = sessions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null) {
            throw new AssertionError("no node connected within " + timeout);
        }
        return s;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofPlatform().daemon().name("test-coordinator-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            ControlFrames.readPreamble(in);
            ControlHandshake.Acceptance acceptance = ControlHandshake.accept(key, ControlFrames.readFrame(in));
            Hello hello = (Hello) codec.decode(acceptance.payload());
            hellos.add(hello);
            Welcome welcome = welcomes.apply(hello);
            ControlHandshake.Reply reply = acceptance.reply(codec.encode(welcome));
            ControlFrames.writeFrame(out, reply.message());
            if (welcome.error() != null || Hello.JOIN.equals(hello.mode())) {
                socket.close();
                return;
            }
            Session session = new Session(socket, out, reply.session(), acceptance.initiator());
            for (ControlMessage m : afterWelcome) {
                session.send(m);
            }
            sessions.add(session);
            while (true) {
                byte[] message = reply.session().open(ControlFrames.readFrame(in));
                if (message != null) {
                    session.received.add(codec.decode(message));
                }
            }
        } catch (IOException | ControlProtocolException | RuntimeException e) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TestCoordinator::closeQuietly);
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One node's connected session: send to it, see what it sent, drop it. */
    final class Session {
        final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
        final NodeKey node;
        private final Socket socket;
        private final OutputStream out;
        private final ControlSession session;

        Session(Socket socket, OutputStream out, ControlSession session, NodeKey node) {
            this.socket = socket;
            this.out = out;
            this.session = session;
            this.node = node;
        }

        synchronized void send(ControlMessage message) throws IOException {
            for (byte[] frame : session.seal(codec.encode(message))) {
                ControlFrames.writeFrame(out, frame);
            }
        }

        /** The next message of {@code type} the node sent, skipping others, waiting at most {@code timeout}. */
        <T extends ControlMessage> T next(Class<T> type, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                ControlMessage m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("the node sent no " + type.getSimpleName() + " within " + timeout);
                }
                if (type.isInstance(m)) {
                    return type.cast(m);
                }
            }
        }

        void drop() {
            closeQuietly(socket);
        }
    }
}
