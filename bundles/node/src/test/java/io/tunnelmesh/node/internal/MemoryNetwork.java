package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Like the UDP transport, a binding holds what is sent until {@code flush()}, and what one flush sent to a
 * binding arrives there as one receive batch (as one recvmmsg would return it), followed by
 * {@code batchComplete}. Tests can also spray datagrams at a binding from any source.
 */
final class MemoryNetwork {
    private final Map<InetSocketAddress, Binding> bindings = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(40000);
    /** Every datagram sent on this network, in order, so tests can replay or mangle real traffic. */
    final List<byte[]> history = java.util.Collections.synchronizedList(new ArrayList<>());

    /** A transport service for one host on this network. */
    Transport transport(String host) {
        return new MemoryTransport(address(host));
    }

    /** Sends {@code bytes} to {@code destination} as if from {@code source}. */
    void inject(InetSocketAddress destination, byte[] bytes, InetSocketAddress source) {
        deliver(destination, List.of(new Datagram(bytes.clone(), source)));
    }

    private void deliver(InetSocketAddress destination, List<Datagram> batch) {
        Binding b = bindings.get(destination);
        if (b != null) {
            b.queue.add(batch);
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
    }

    /** A unique instance: the end of a binding, compared by identity. */
    private static final List<Datagram> STOP = java.util.Collections.unmodifiableList(new ArrayList<>());

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
        private final BlockingQueue<List<Datagram>> queue = new LinkedBlockingQueue<>();
        /** Sent but not yet flushed, by destination; several node threads send at once. */
        private final Map<InetSocketAddress, List<Datagram>> unflushed = new LinkedHashMap<>();
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
                    List<Datagram> batch = queue.take();
                    if (batch == STOP) {
                        return;
                    }
                    for (Datagram d : batch) {
                        receiver.received(ByteBuffer.wrap(d.bytes), d.source, this);
                    }
                    receiver.batchComplete(this);
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
            synchronized (unflushed) {
                unflushed.computeIfAbsent(destination, d -> new ArrayList<>()).add(new Datagram(copy, local));
            }
            return true;
        }

        @Override
        public void flush() {
            synchronized (unflushed) {
                unflushed.forEach(MemoryNetwork.this::deliver);
                unflushed.clear();
            }
        }

        @Override
        public void close() {
            closed = true;
            bindings.remove(local, this);
            queue.add(STOP);
        }
    }
}
