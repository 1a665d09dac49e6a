package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 * An in-memory datagram network (after wireguard-go's conn/bindtest idea) and the transport that reaches it:
 * bindings at {@code HOST:PORT} addresses exchange datagrams through queues, each binding delivering on its own
 * thread like an event loop. Its endpoints are its own class, {@code NAME:HOST:PORT} with the network's transport
 * name ({@code mem} unless a test stands one in for {@code udp}), so the node meets a second kind of transport.
 * Like the UDP transport, a binding holds what is sent until {@code flush()}, and what one flush sent to a
 * binding arrives there as one receive batch (as one recvmmsg would return it), followed by
 * {@code batchComplete}. Tests can also spray datagrams at a binding from any source.
 */
final class MemoryNetwork {
    /** A host name ending like this cannot be resolved, as with UDP. */
    static final String UNRESOLVABLE = ".invalid";

    private final String transportName;
    /** Its endpoints say {@link Endpoint#relayed()}: the network stands in for a relay server. */
    private final boolean relayed;
    /** Whether a datagram gets through (a blocked link, a home router's filter); sees each one as it is sent. */
    volatile Link link = (from, to) -> true;
    private final Map<MemoryEndpoint, Binding> bindings = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(40000);
    /** Every datagram sent on this network, in order, so tests can replay or mangle real traffic. */
    final List<byte[]> history = java.util.Collections.synchronizedList(new ArrayList<>());

    MemoryNetwork() {
        this("mem");
    }

    MemoryNetwork(String transportName) {
        this(transportName, false);
    }

    MemoryNetwork(String transportName, boolean relayed) {
        this.transportName = transportName;
        this.relayed = relayed;
    }

    /** Decides, for each datagram sent, whether it arrives. */
    interface Link {
        boolean passes(MemoryEndpoint from, MemoryEndpoint to);
    }

    /** A transport service for one host on this network. */
    MemoryTransport transport(String host) {
        return new MemoryTransport(host);
    }

    MemoryEndpoint endpoint(String host, int port) {
        return new MemoryEndpoint(transportName, host, port, relayed);
    }

    /** Sends {@code bytes} to {@code destination} as if from {@code source}. */
    void inject(MemoryEndpoint destination, byte[] bytes, MemoryEndpoint source) {
        deliver(destination, List.of(new Datagram(bytes.clone(), source)));
    }

    private void deliver(MemoryEndpoint destination, List<Datagram> batch) {
        Binding b = bindings.get(destination);
        if (b != null) {
            b.queue.add(batch);
        }
    }

    /** An address on a memory network; equal when transport name, host and port are. */
    record MemoryEndpoint(String transport, String host, int port, boolean relayed) implements Endpoint {
        @Override
        public byte[] dstToBytes() {
            byte[] host = dstHostBytes();
            byte[] bytes = Arrays.copyOf(host, host.length + 2);
            bytes[host.length] = (byte) (port >>> 8);
            bytes[host.length + 1] = (byte) port;
            return bytes;
        }

        @Override
        public byte[] dstHostBytes() {
            return host.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return transport + ":" + host + ":" + port;
        }
    }

    private record Datagram(byte[] bytes, MemoryEndpoint source) {
    }

    /** A unique instance: the end of a binding, compared by identity. */
    private static final List<Datagram> STOP = java.util.Collections.unmodifiableList(new ArrayList<>());

    final class MemoryTransport implements Transport {
        private final String host;
        /** Datagrams sent through any binding of this service: shows which of two same-named services carries traffic. */
        final AtomicLong sent = new AtomicLong();
        final AtomicInteger binds = new AtomicInteger();
        volatile Binding lastBinding;

        MemoryTransport(String host) {
            this.host = host;
        }

        @Override
        public String name() {
            return transportName;
        }

        @Override
        public Endpoint parseEndpoint(String address) {
            int colon = address.lastIndexOf(':');
            int port = colon > 0 && address.substring(colon + 1).matches("\\d{1,5}") ? Integer.parseInt(address.substring(colon + 1)) : 0;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("endpoint '" + transportName + ":" + address + "' needs HOST:PORT");
            }
            if (address.substring(0, colon).endsWith(UNRESOLVABLE)) {
                throw new IllegalArgumentException("endpoint '" + transportName + ":" + address + "': cannot resolve host '"
                        + address.substring(0, colon) + "'");
            }
            return endpoint(address.substring(0, colon), port);
        }

        @Override
        public TransportBinding bind(TransportOptions options, DatagramReceiver receiver) throws IOException {
            int port = options.listenPort() == 0 ? nextPort.getAndIncrement() : options.listenPort();
            MemoryEndpoint local = endpoint(host, port);
            Binding b = new Binding(local, receiver, sent);
            if (bindings.putIfAbsent(local, b) != null) {
                throw new IOException("port " + port + " on " + host + " is in use");
            }
            b.thread.start();
            binds.incrementAndGet();
            lastBinding = b;
            return b;
        }

        @Override
        public String toString() {
            return "memory transport " + transportName + " at " + host;
        }
    }

    final class Binding implements TransportBinding {
        private final MemoryEndpoint local;
        private final DatagramReceiver receiver;
        private final AtomicLong sent;
        private final BlockingQueue<List<Datagram>> queue = new LinkedBlockingQueue<>();
        /** Sent but not yet flushed, by destination; several node threads send at once. */
        private final Map<MemoryEndpoint, List<Datagram>> unflushed = new LinkedHashMap<>();
        private final Thread thread;
        private volatile boolean closed;

        Binding(MemoryEndpoint local, DatagramReceiver receiver, AtomicLong sent) {
            this.local = local;
            this.receiver = receiver;
            this.sent = sent;
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
            return transportName;
        }

        @Override
        public int listenPort() {
            return local.port();
        }

        @Override
        public boolean send(ByteBuffer datagram, Endpoint destination) {
            if (closed || !(destination instanceof MemoryEndpoint to) || !to.transport().equals(transportName)) {
                return false;
            }
            byte[] copy = new byte[datagram.remaining()];
            datagram.duplicate().get(copy);
            sent.incrementAndGet();
            history.add(copy);
            if (!link.passes(local, to)) {
                return true; // lost on the way, as UDP would lose it
            }
            synchronized (unflushed) {
                unflushed.computeIfAbsent(to, d -> new ArrayList<>()).add(new Datagram(copy, local));
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

        @Override
        public String toString() {
            return "memory binding " + local;
        }
    }
}
