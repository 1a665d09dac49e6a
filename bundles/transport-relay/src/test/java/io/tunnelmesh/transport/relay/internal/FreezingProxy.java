package io.tunnelmesh.transport.relay.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of the relay server that can freeze the connections it carries (nothing passes
 * either way, nothing is closed): what a link looks like to a node whose host lost its address. New connections
 * pass again, as through the host's new address.
 */
final class FreezingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();

    private record Pair(Socket client, Socket server, boolean[] frozen) {
    }

    FreezingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every connection open now stops passing bytes; later ones pass. */
    void freezeCurrent() {
        pairs.forEach(p -> p.frozen()[0] = true);
    }

    private void accept() {
        try {
            while (true) {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                Pair p = new Pair(client, server, new boolean[1]);
                pairs.add(p);
                Thread.ofPlatform().daemon().start(() -> pump(client, server, p.frozen()));
                Thread.ofPlatform().daemon().start(() -> pump(server, client, p.frozen()));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void pump(Socket from, Socket to, boolean[] frozen) {
        byte[] buf = new byte[65536];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                while (frozen[0]) {
                    Thread.sleep(50); // holds what it read, reads nothing more
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | InterruptedException e) {
            // either side closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Pair p : pairs) {
            p.client().close();
            p.server().close();
        }
    }
}
