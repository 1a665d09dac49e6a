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
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + t + "' needs HOST:PORT, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("endpoint '" + t + "': put an IPv6 address in brackets, e.g. [2001:db8::1]:51820");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint '" + t + "' has no valid port: use 1-65535");
        }
        try {
            return udp(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("endpoint '" + t + "': cannot resolve host '" + host + "'");
        }
    }

    @Override
    public String toString() {
        String host = address.getAddress() == null ? address.getHostString() : AddressFormat.format(address.getAddress());
        String hp = host.indexOf(':') >= 0 ? "[" + host + "]:" + address.getPort() : host + ":" + address.getPort();
        return UDP.equals(transport) ? hp : transport + ":" + hp;
    }
}
