package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory datagram network (after wireguard-go's conn/bindtest idea): transports bound to addresses
 * on it exchange datagrams through queues, each binding delivering on its own thread like an event loop.
 * Tests can also spray datagrams at a binding from any source.
 */
final class MemoryNetwork {
    private final Map<InetSocketAddress, Binding> bindings = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(40000);
    /** Every datagram sent on this network, in order, so tests can replay or mangle real traffic. */
    final List<byte[]> history = new CopyOnWriteArrayList<>();

    /** A transport service for one host on this network. */
    Transport transport(String host) {
        return new MemoryTransport(address(host));
    }

    /** Sends {@code bytes} to {@code destination} as if from {@code source}. */
    void inject(InetSocketAddress destination, byte[] bytes, InetSocketAddress source) {
        Binding b = bindings.get(destination);
        if (b != null) {
            b.queue.add(new Datagram(bytes.clone(), source));
        }
    }

    static InetAddress address(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private record Datagram(byte[] bytes, InetSocketAddress source) {
        static final Datagram STOP = new Datagram(new byte[0], null);
    }

    final class MemoryTransport implements Transport {
        private final InetAddress host;

        MemoryTransport(InetAddress host) {
            this.host = host;
        }

        @Override
        public String name() {
            return "udp";
        }

        @Override
        public TransportBinding bind(TransportOptions options, DatagramReceiver receiver) throws IOException {
            int port = options.listenPort() == 0 ? nextPort.getAndIncrement() : options.listenPort();
            InetSocketAddress local = new InetSocketAddress(host, port);
            Binding b = new Binding(local, receiver);
            if (bindings.putIfAbsent(local, b) != null) {
                throw new IOException("port " + port + " on " + host.getHostAddress() + " is in use");
            }
            b.thread.start();
            return b;
        }
    }

    final class Binding implements TransportBinding {
        private final InetSocketAddress local;
        private final DatagramReceiver receiver;
        private final BlockingQueue<Datagram> queue = new LinkedBlockingQueue<>();
        private final Thread thread;
        final AtomicLong sent = new AtomicLong();
        private volatile boolean closed;

        Binding(InetSocketAddress local, DatagramReceiver receiver) {
            this.local = local;
            this.receiver = receiver;
            this.thread = Thread.ofPlatform().daemon().name("memory-transport-" + local).unstarted(this::deliver);
        }

        private void deliver() {
            try {
                while (true) {
                    Datagram d = queue.take();
                    if (d == Datagram.STOP) {
                        return;
                    }
                    receiver.received(ByteBuffer.wrap(d.bytes), d.source, this);
                    if (queue.isEmpty()) {
                        receiver.batchComplete(this);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String transportName() {
            return "udp";
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public boolean send(ByteBuffer datagram, InetSocketAddress destination) {
            if (closed) {
                return false;
            }
            byte[] copy = new byte[datagram.remaining()];
            datagram.duplicate().get(copy);
            sent.incrementAndGet();
            history.add(copy);
            inject(destination, copy, local);
            return true;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            closed = true;
            bindings.remove(local, this);
            queue.add(Datagram.STOP);
        }
    }
}
