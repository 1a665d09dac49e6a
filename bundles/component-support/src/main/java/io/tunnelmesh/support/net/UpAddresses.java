package io.tunnelmesh.support.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The addresses of this machine's interfaces that are up, in the order the system lists them, link-local ones
 * left out (they need a zone another machine cannot know). Callers add their own filter on top.
 */
public final class UpAddresses {
    /** One address and the interface that carries it. */
    public record Found(NetworkInterface nic, InetAddress address) {
    }

    private UpAddresses() {
    }

    /** @throws SocketException the interface list is unavailable right now */
    public static List<Found> list() throws SocketException {
        List<Found> found = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLinkLocalAddress()) {
                    found.add(new Found(nic, address));
                }
            }
        }
        return found;
    }
}
