package io.tunnelmesh.coordinator.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.support.net.UpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator addresses a join token carries: the configured {@code advertise} list, else the listen
 * address when it is a specific IP, else every up non-loopback interface address with the listen port (IPv4
 * first, link-local left out since it needs a zone), loopback only when there is nothing else.
 */
final class AdvertisedAddresses {
    static final int MAX = 8;

    private AdvertisedAddresses() {
    }

    static List<String> of(CoordinatorSettings settings) {
        if (!settings.advertise().isEmpty()) {
            return settings.advertise();
        }
        InetSocketAddress listen = settings.listen();
        if (!listen.getAddress().isAnyLocalAddress()) {
            return List.of(HostPort.format(listen.getAddress(), listen.getPort()));
        }
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        List<InetAddress> loopback = new ArrayList<>();
        try {
            for (UpAddresses.Found up : UpAddresses.list()) {
                InetAddress address = up.address();
                if (address.isLoopbackAddress()) {
                    loopback.add(address);
                } else if (address instanceof Inet4Address) {
                    v4.add(address);
                } else if (listen.getAddress() instanceof java.net.Inet6Address) {
                    v6.add(address); // an IPv4 wildcard socket cannot be reached over IPv6
                }
            }
        } catch (SocketException e) {
            // no interface list: fall back to loopback below, which at least works on this machine
        }
        List<InetAddress> chosen = new ArrayList<>(v4);
        chosen.addAll(v6);
        if (chosen.isEmpty()) {
            chosen.addAll(loopback.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : loopback);
        }
        List<String> out = new ArrayList<>();
        for (InetAddress address : chosen) {
            String text = HostPort.format(address, listen.getPort());
            if (!out.contains(text) && out.size() < MAX) {
                out.add(text);
            }
        }
        return List.copyOf(out);
    }
}
