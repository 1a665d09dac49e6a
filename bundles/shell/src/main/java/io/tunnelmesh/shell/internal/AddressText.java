package io.tunnelmesh.shell.internal;

import io.tunnelmesh.api.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/** Prefix lists as operators write them (IPv6 in the short form, see {@link IpPrefix#toString()}). */
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
            parts.add(hostBits ? p.toAddressString() : p.toString());
        }
        return String.join(",", parts);
    }
}
