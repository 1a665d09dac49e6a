package io.tunnelmesh.transport.relay.internal;

import io.netty.buffer.ByteBuf;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.control.RelayFrames;
import io.tunnelmesh.control.relay.RelayKeyCache;

/** The endpoints of the senders of frames from one relay server, by the key the server stamped. I/O thread only. */
final class RelaySenders {
    private static final int SOURCES = 16; // sender endpoints remembered, a power of two

    private final RelayServer server;
    private final RelayKeyCache<RelayEndpoint> sources = new RelayKeyCache<>(SOURCES);

    RelaySenders(RelayServer server) {
        this.server = server;
    }

    /** The endpoint of the sender whose key is at {@code at}, reused while it stays in the cache: no allocation per datagram. */
    RelayEndpoint of(ByteBuf frame, int at) {
        RelayEndpoint cached = sources.get(frame, at);
        if (cached != null) {
            return cached;
        }
        byte[] key = new byte[RelayFrames.KEY_LENGTH];
        frame.getBytes(at, key);
        RelayEndpoint made = new RelayEndpoint(NodeKey.of(key), server);
        sources.put(frame, at, made);
        return made;
    }
}
