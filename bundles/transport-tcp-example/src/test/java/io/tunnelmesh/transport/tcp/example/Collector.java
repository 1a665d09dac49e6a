package io.tunnelmesh.transport.tcp.example;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps a copy of every datagram received, as the node copies what must outlive the call. */
class Collector implements DatagramReceiver {
    record Received(byte[] data, Endpoint source, TransportBinding via, String thread) {
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

    Received next() throws InterruptedException {
        Received r = datagrams.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no datagram within 5 s");
        }
        return r;
    }

    /** Null when nothing arrives within {@code millis}. */
    Received poll(long millis) throws InterruptedException {
        return datagrams.poll(millis, TimeUnit.MILLISECONDS);
    }
}
