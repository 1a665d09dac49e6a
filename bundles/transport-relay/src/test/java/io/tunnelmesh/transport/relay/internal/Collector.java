package io.tunnelmesh.transport.relay.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Keeps what a binding delivers: the datagram as text and where it came from. */
final class Collector implements DatagramReceiver {
    record Received(String text, Endpoint source) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @Override
    public void received(ByteBuffer datagram, Endpoint source, TransportBinding via) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        received.add(new Received(new String(bytes, StandardCharsets.UTF_8), source));
    }

    Received next(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    static ByteBuffer datagram(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
