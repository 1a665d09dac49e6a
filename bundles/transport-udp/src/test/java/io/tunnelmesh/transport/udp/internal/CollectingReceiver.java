package io.tunnelmesh.transport.udp.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps a copy of every datagram received, as a node would copy what must outlive the call. */
final class CollectingReceiver implements DatagramReceiver {
    record Received(byte[] data, Endpoint source, TransportBinding via, String thread) {
        InetSocketAddress address() {
            return ((UdpEndpoint) source).address();
        }

    }

    final BlockingQueue<Received> datagrams = new LinkedBlockingQueue<>();
    final AtomicInteger batches = new AtomicInteger();

    @Override
    public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(copy);
        datagrams.add(new Received(copy, source, via, Thread.currentThread().getName()));
    }

    @Override
    public void batchComplete(TransportBinding via) {
        batches.incrementAndGet();
    }

    /** batchComplete runs after received(), so a test that saw the datagram may have to wait a moment for it. */
    boolean awaitBatch() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (batches.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return batches.get() > 0;
    }

    Received next() throws InterruptedException {
        Received received = datagrams.poll(5, TimeUnit.SECONDS);
        if (received == null) {
            throw new AssertionError("no datagram within 5 s");
        }
        return received;
    }
}
