package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.support.net.UpAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The node's local {@code HOST:PORT}s it reports to the coordinator: every address of every interface that is up,
 * except loopback, link-local addresses (they need a scope a peer cannot know), the node's own TUN interface and
 * addresses inside the mesh (reaching a peer through the tunnel itself would loop). IPv4 first.
 */
final class LocalEndpoints {
    private LocalEndpoints() {
    }

    static List<String> of(int port, String tunInterface, List<IpPrefix> meshPrefixes) {
        if (port < 1 || port > 65535) {
            return List.of(); // no port bound yet: nothing a peer could reach
        }
        record Found(boolean ipv6, int index, String text) {
        }
        List<Found> found = new ArrayList<>();
        try {
            for (UpAddresses.Found up : UpAddresses.list()) {
                NetworkInterface nic = up.nic();
                InetAddress address = up.address();
                if (nic.isLoopback() || nic.getName().equals(tunInterface) || address.isLoopbackAddress()
                        || address.isAnyLocalAddress() || meshPrefixes.stream().anyMatch(p -> p.contains(address))) {
                    continue;
                }
                InetAddress plain = InetAddress.getByAddress(address.getAddress()); // drops the IPv6 scope suffix
                found.add(new Found(address instanceof Inet6Address, nic.getIndex(), HostPort.format(plain, port)));
            }
        } catch (SocketException | java.net.UnknownHostException e) {
            return List.of(); // the interface list is unavailable for now; the next check tries again
        }
        found.sort(Comparator.comparing(Found::ipv6).thenComparing(Found::index).thenComparing(Found::text));
        return found.stream().map(Found::text).distinct().toList();
    }
}
