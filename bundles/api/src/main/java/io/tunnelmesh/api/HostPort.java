package io.tunnelmesh.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * {@code HOST:PORT} as operators write it and tokens carry it ({@code [IPV6]:PORT} for IPv6), unresolved: a
 * name is looked up when it is used, so a changed DNS record is followed. One parser for endpoints, listen
 * addresses and coordinator addresses, so they all accept and refuse the same text with the same words.
 *
 * @param host a host name, an IPv4 literal or an IPv6 literal (without brackets)
 * @param port 0-65535 (0 only where a listener may take any free port)
 */
public record HostPort(String host, int port) {
    /** What fits a join token's length byte. */
    public static final int MAX_LENGTH = 255;

    public HostPort {
        if (host == null || host.isEmpty() || !host.matches("[A-Za-z0-9.:_%-]+")) {
            throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range: use 1-65535");
        }
    }

    public static HostPort of(InetAddress address, int port) {
        return new HostPort(AddressFormat.format(address), port);
    }

    /**
     * @param what        names the value in the error, e.g. {@code endpoint} or {@code coordinator address}
     * @param examplePort the port the error's examples show, e.g. 51820
     * @throws IllegalArgumentException one line naming {@code what}, the text and what to write
     */
    public static HostPort parse(String text, String what, int examplePort) {
        return parse(text, what, examplePort, 1);
    }

    /** As {@link #parse}, but port 0 (any free port) is allowed: for addresses to listen on. */
    public static HostPort parseListen(String text, String what, int examplePort) {
        return parse(text, what, examplePort, 0);
    }

    private static HostPort parse(String text, String what, int examplePort, int minPort) {
        String t = text == null ? "" : text.strip();
        String examples = "e.g. 192.0.2.1:" + examplePort + " or [2001:db8::1]:" + examplePort;
        if (!t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(what + " holds a blank or a character that is not printable ASCII: write HOST:PORT, " + examples);
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1 || t.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " '" + t + "' needs HOST:PORT, " + examples);
        }
        String host = t.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(what + " '" + t + "': put an IPv6 address in brackets, " + examples);
        }
        String digits = t.substring(colon + 1);
        int port = digits.length() <= 5 && digits.chars().allMatch(Character::isDigit) ? Integer.parseInt(digits) : -1;
        if (port < minPort || port > 65535) {
            throw new IllegalArgumentException(what + " '" + t + "' has no valid port: use " + minPort + "-65535");
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9.:_%-]+") || bracketed != (host.indexOf(':') >= 0)) {
            throw new IllegalArgumentException(what + " '" + t + "' has no valid host, " + examples);
        }
        return new HostPort(host, port);
    }

    /** True for an IPv4 dotted quad or an IPv6 literal, decided without a DNS lookup. */
    public boolean isIpLiteral() {
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }
        return host.contains(":") && host.matches("[0-9A-Fa-f:.]+");
    }

    /** Resolves the host now (may block on DNS for a name); the result is unresolved if the lookup fails. */
    public InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    /**
     * Resolves the host now for an endpoint of {@code transport} (a name is resolved once, as {@code wg set} does).
     *
     * @throws IllegalArgumentException naming the endpoint and what to write instead, when the name does not resolve
     */
    public InetSocketAddress resolveEndpoint(String transport) {
        InetSocketAddress address = resolve();
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("endpoint '" + transport + ":" + this + "': cannot resolve host '" + host
                    + "': write an IP address or a name this host can resolve");
        }
        return address;
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** The text for an address and port, IPv6 in brackets; the same as {@code of(address, port).toString()}. */
    public static String format(InetAddress address, int port) {
        String host = AddressFormat.format(address);
        return address instanceof Inet6Address ? "[" + host + "]:" + port : host + ":" + port;
    }
}
