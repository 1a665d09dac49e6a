package io.tunnelmesh.transport.tcp.example;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.SocketEndpoint;
import java.net.InetSocketAddress;

/**
 * {@code tcp:HOST:PORT}: a peer's listening address as configured, or the remote address of a connection the peer
 * opened to us. Either way a binding sends to it over the one connection it keeps per endpoint (opening one when there
 * is none), so a reply to the source of a datagram goes back over the connection that datagram came on.
 */
record TcpEndpoint(InetSocketAddress address) implements SocketEndpoint {
    TcpEndpoint {
        if (address == null || address.isUnresolved()) {
            throw new IllegalArgumentException("a TCP endpoint needs a resolved address, not " + address);
        }
    }

    /** {@code HOST:PORT} or {@code [IPV6]:PORT}; a host name is resolved once, here, as the UDP transport does. */
    static TcpEndpoint parse(String text) {
        return new TcpEndpoint(HostPort.parse(text, "tcp endpoint", 51820).resolveEndpoint(TcpTransport.NAME));
    }

    @Override
    public String transport() {
        return TcpTransport.NAME;
    }

    @Override
    public String toString() {
        return TcpTransport.NAME + ":" + HostPort.format(address.getAddress(), address.getPort());
    }
}
