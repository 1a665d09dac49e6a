package io.tunnelmesh.transport.udp.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.SocketEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

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
        HostPort hp = HostPort.parse(text, "udp endpoint", 51820);
        try {
            return new UdpEndpoint(new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("endpoint '" + UdpTransport.NAME + ":" + hp + "': cannot resolve host '"
                    + hp.host() + "': write an IP address or a name this host can resolve");
        }
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
