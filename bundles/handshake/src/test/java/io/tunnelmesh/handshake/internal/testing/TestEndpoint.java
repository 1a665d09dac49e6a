package io.tunnelmesh.handshake.internal.testing;

import io.tunnelmesh.api.Endpoint;
import java.net.InetSocketAddress;
import java.util.Arrays;

/** A UDP-style endpoint for driving an engine in tests: the bytes a cookie and a rate limit see are UDP's. */
public record TestEndpoint(InetSocketAddress address) implements Endpoint {
    public static TestEndpoint of(String host, int port) {
        return new TestEndpoint(new InetSocketAddress(host, port));
    }

    @Override
    public String transport() {
        return "udp";
    }

    @Override
    public byte[] dstToBytes() {
        byte[] ip = address.getAddress().getAddress();
        byte[] out = Arrays.copyOf(ip, ip.length + 2);
        out[ip.length] = (byte) (address.getPort() >>> 8);
        out[ip.length + 1] = (byte) address.getPort();
        return out;
    }

    @Override
    public byte[] dstHostBytes() {
        return address.getAddress().getAddress();
    }

    @Override
    public String toString() {
        return "udp:" + address.getHostString() + ":" + address.getPort();
    }
}
