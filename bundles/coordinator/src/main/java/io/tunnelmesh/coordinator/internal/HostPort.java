package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.AddressFormat;
import java.net.Inet6Address;
import java.net.InetAddress;

/** {@code HOST:PORT} text as tokens and endpoint lists carry it: IPv6 hosts in brackets. */
final class HostPort {
    private HostPort() {
    }

    static String of(InetAddress address, int port) {
        String host = AddressFormat.format(address);
        return address instanceof Inet6Address ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** A host name or IP literal, a colon, a port 1..65535; short enough for a token's length byte. */
    static boolean isValid(String text) {
        if (text.length() > 255 || text.isEmpty()) {
            return false;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        String host = text.substring(0, colon);
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535) {
                return false;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            return isIpLiteral(host.substring(1, host.length() - 1)) && host.contains(":");
        }
        return host.matches("[A-Za-z0-9.-]+");
    }

    /** True for an IPv4 dotted quad or an IPv6 literal, checked without a DNS lookup. */
    static boolean isIpLiteral(String host) {
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
}
