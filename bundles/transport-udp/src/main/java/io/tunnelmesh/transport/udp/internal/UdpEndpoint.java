package io.tunnelmesh.transport.udp.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.SocketEndpoint;
import java.net.InetSocketAddress;

/**
 * A peer's UDP address: what this transport sends to and reports as a datagram's source. IPv4 peers are plain
 * IPv4 addresses (never v4-mapped IPv6), as Netty reports senders, so equal places compare equal.
 */
record UdpEndpoint(InetSocketAddress address) implements SocketEndpoint {
    UdpEndpoint {
        if (address == null || address.isUnresolved()) {
            throw new IllegalArgumentException("a UDP endpoint needs a resolved address, not " + address);
        }
    }

    /** {@code HOST:PORT} or {@code [IPV6]:PORT}; a host name is resolved once, here, as {@code wg set} does. */
    static UdpEndpoint parse(String text) {
        return new UdpEndpoint(HostPort.parse(text, "udp endpoint", 51820).resolveEndpoint(UdpTransport.NAME));
    }

    @Override
    public String transport() {
        return UdpTransport.NAME;
    }

    @Override
    public String toString() {
        return UdpTransport.NAME + ":" + HostPort.format(address.getAddress(), address.getPort());
    }
}
