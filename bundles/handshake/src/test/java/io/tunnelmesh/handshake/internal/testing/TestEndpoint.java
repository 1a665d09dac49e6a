package io.tunnelmesh.handshake.internal.testing;

import io.tunnelmesh.api.SocketEndpoint;
import java.net.InetSocketAddress;

/** A UDP-style endpoint for driving an engine in tests: the bytes a cookie and a rate limit see are UDP's. */
public record TestEndpoint(InetSocketAddress address) implements SocketEndpoint {
    public static TestEndpoint of(String host, int port) {
        return new TestEndpoint(new InetSocketAddress(host, port));
    }

    @Override
    public String transport() {
        return "udp";
    }

    @Override
    public String toString() {
        return "udp:" + address.getHostString() + ":" + address.getPort();
    }
}
