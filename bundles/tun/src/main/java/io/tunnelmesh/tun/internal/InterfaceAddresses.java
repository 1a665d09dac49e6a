package io.tunnelmesh.tun.internal;

import io.tunnelmesh.api.IpPrefix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The addresses this driver gave one interface, set at open and changed in place later (a new mesh address
 * must not recreate the device). Works in the network namespace of the calling thread, which for a normal
 * process is the interface's; tests that made the interface in another namespace call from a thread there.
 */
final class InterfaceAddresses {
    private final String name;
    private final int index;
    /** What the interface has from us now; guarded by this. */
    private List<IpPrefix> current = new ArrayList<>();

    InterfaceAddresses(String name, int index) {
        this.name = name;
        this.index = index;
    }

    /**
     * Removes what is no longer wanted first, then adds what is new. Not the other way round: adding
     * 10.0.0.2/24 beside 10.0.0.1/24 makes it a secondary that goes with the primary when that is deleted, and
     * an IPv6 address with a new prefix length is the same address to the kernel.
     */
    synchronized void set(List<IpPrefix> wanted) throws IOException {
        List<byte[]> newIpv6 = new ArrayList<>();
        try (AddressNetlink netlink = new AddressNetlink()) {
            for (Iterator<IpPrefix> it = current.iterator(); it.hasNext(); ) {
                IpPrefix had = it.next();
                if (!contains(wanted, had)) {
                    netlink.deleteAddress(name, index, had);
                    it.remove();
                }
            }
            for (IpPrefix want : wanted) {
                if (!contains(current, want)) {
                    netlink.addAddress(name, index, want);
                    current.add(want);
                    if (want.isIpv6()) {
                        newIpv6.add(want.address().getAddress());
                    }
                }
            }
        }
        if (!Ipv6Readiness.await(name, newIpv6)) {
            throw new IOException("interface " + name + ": its IPv6 address did not become usable within 2 s:"
                    + " check 'ip addr show dev " + name + "' (tentative or dadfailed?)");
        }
    }

    /** By address and length: {@link IpPrefix#equals} compares networks, and 10.0.0.1/24 is not 10.0.0.2/24. */
    private static boolean contains(List<IpPrefix> list, IpPrefix prefix) {
        for (IpPrefix p : list) {
            if (p.length() == prefix.length() && p.address().equals(prefix.address())) {
                return true;
            }
        }
        return false;
    }
}
