package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.TransportBinding;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A binding bound to nothing: it counts what it is given to send and records what it is asked to shed. */
final class StubBinding implements TransportBinding {
    private final String name;
    private final int port;
    private final boolean canShed;
    long sent;
    final List<List<Endpoint>> shedRequests = new ArrayList<>();

    StubBinding(String name, int port, boolean canShed) {
        this.name = name;
        this.port = port;
        this.canShed = canShed;
    }

    @Override
    public String transportName() {
        return name;
    }

    @Override
    public int listenPort() {
        return port;
    }

    @Override
    public boolean send(ByteBuffer datagram, Endpoint destination) {
        sent++;
        return true;
    }

    @Override
    public void flush() {
    }

    @Override
    public boolean shedInitiationsFrom(List<Endpoint> sources) {
        shedRequests.add(List.copyOf(sources));
        return canShed;
    }

    @Override
    public void close() {
    }
}
