package io.tunnelmesh.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where a peer can be reached: a socket address on a named transport ({@code udp} by default; {@code relay}
 * or a third-party transport otherwise). Immutable.
 *
 * @param transport the {@code transport.name} service property of the transport that carries it
 * @param address   the underlay address (IPv4 or IPv6) and port
 */
public record Endpoint(String transport, InetSocketAddress address) {
    public static final String UDP = "udp";

    public Endpoint {
        if (transport == null || transport.isBlank()) {
            throw new IllegalArgumentException("endpoint needs a transport name");
        }
        if (address == null) {
            throw new IllegalArgumentException("endpoint needs an address");
        }
    }

    public static Endpoint udp(InetSocketAddress address) {
        return new Endpoint(UDP, address);
    }

    /**
     * Parses {@code HOST:PORT} or {@code [IPV6]:PORT} as a UDP endpoint. A host name is resolved once, here,
     * as {@code wg set … endpoint} does.
     */
    public static Endpoint parse(String text) {
        HostPort hp = HostPort.parse(text, "endpoint", 51820);
        try {
            return udp(new InetSocketAddress(InetAddress.getByName(hp.host()), hp.port()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("endpoint '" + hp + "': cannot resolve host '" + hp.host() + "'");
        }
    }

    @Override
    public String toString() {
        String host = address.getAddress() == null ? address.getHostString() : AddressFormat.format(address.getAddress());
        String hp = host.indexOf(':') >= 0 ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
        return UDP.equals(transport) ? hp : transport + ":" + hp;
    }
}
