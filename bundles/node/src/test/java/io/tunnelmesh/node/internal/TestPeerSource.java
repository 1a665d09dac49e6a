package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.node.PeerSink;
import io.tunnelmesh.api.node.PeerSource;

/** A peer source a test drives by hand: it keeps the sink the node gave it and records the handle's close. */
final class TestPeerSource implements PeerSource {
    private final String name;
    volatile PeerSink sink;
    volatile boolean closed;

    TestPeerSource(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AutoCloseable subscribe(PeerSink given) {
        sink = given;
        return () -> closed = true;
    }
}
