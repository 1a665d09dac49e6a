package io.tunnelmesh.coordinator.client.internal;

import java.net.InetSocketAddress;

/**
 * A coordinator's {@code HOST:PORT} as a join token and {@code coordinator.addresses} carry it ({@code [IPV6]:PORT}
 * for IPv6). Kept unresolved: the name is looked up at each connection attempt, so a changed DNS record is followed.
 */
record CoordinatorAddress(String host, int port) {
    CoordinatorAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("coordinator address needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("coordinator address port " + port + " is out of range: use 1-65535");
        }
    }

    /** @throws IllegalArgumentException naming {@code text} when it is not HOST:PORT */
    static CoordinatorAddress parse(String text) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("coordinator address '" + t + "' is not HOST:PORT, e.g. 192.0.2.1:7443 or [2001:db8::1]:7443");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("coordinator address '" + t + "': put an IPv6 address in brackets, e.g. [2001:db8::1]:7443");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("coordinator address '" + t + "' has no valid port: use 1-65535");
        }
        return new CoordinatorAddress(host, port);
    }

    /** Resolves the host now (may block on DNS). */
    InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
