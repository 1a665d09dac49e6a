package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses as operators write them: IPv6 in the short RFC 5952 form ({@code fd00::7}, not
 * {@code fd00:0:0:0:0:0:0:7}, which is what {@code InetAddress} prints), IPv4 unchanged.
 */
final class AddressText {
    private AddressText() {
    }

    /** Prefixes, comma separated; {@code hostBits} keeps the address as written (interface addresses). */
    static String prefixes(List<IpPrefix> prefixes, boolean hostBits) {
        if (prefixes.isEmpty()) {
            return "(none)";
        }
        List<String> parts = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            parts.add(address(hostBits ? p.address() : p.network()) + "/" + p.length());
        }
        return String.join(",", parts);
    }

    static String address(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] raw = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (raw[2 * i] & 0xff) << 8 | (raw[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
