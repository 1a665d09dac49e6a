package io.tunnelmesh.api.tun;

import io.tunnelmesh.api.IpPrefix;
import java.util.List;

/**
 * @param name          interface name (at most 15 characters), e.g. {@code tm0}
 * @param addresses     addresses with their prefix lengths, e.g. {@code 10.99.0.1/24}; IPv4 and IPv6 alike
 * @param mtu           interface MTU; WireGuard's default is 1420
 * @param txQueueLength kernel queue length; large so bursts are not dropped while the reader wakes
 */
public record TunConfig(String name, List<IpPrefix> addresses, int mtu, int txQueueLength) {
    public static final int DEFAULT_MTU = 1420;

    public TunConfig {
        if (name == null || name.isEmpty() || name.length() > 15) {
            throw new IllegalArgumentException("interface name '" + name + "' must be 1-15 characters");
        }
        addresses = List.copyOf(addresses == null ? List.of() : addresses);
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " is out of range: use 576-65535 (default 1420)");
        }
    }
}
