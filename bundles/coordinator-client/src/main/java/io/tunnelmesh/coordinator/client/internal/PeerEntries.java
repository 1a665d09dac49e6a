package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.control.NodeEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A coordinator's node entry as the node's peer: its key, its endpoints as candidates in the order reported (a bare
 * {@code HOST:PORT} is UDP, {@code NAME:ADDRESS} another transport's), its mesh addresses as allowed IPs, and a
 * keepalive that holds NAT mappings open (nodes behind NAT are the common case in a mesh).
 */
final class PeerEntries {
    static final int KEEPALIVE_SECONDS = 25;

    private PeerEntries() {
    }

    /** @return the key, or null when the entry's key is not a base64 32-byte key */
    static NodeKey key(String publicKey) {
        try {
            return publicKey == null ? null : NodeKey.parse(publicKey);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The relay transport's name: the coordinator relays between its members (docs/COORDINATOR.md, "Relay"). */
    static final String RELAY = "relay";

    /**
     * @param relayServer the coordinator's HOST:PORT this node talks to, whose relay is every peer's last candidate
     *                    ({@code relay:PEERKEY@HOST:PORT}); null for none
     * @return the peer, or null when the entry has no valid key
     */
    static PeerConfig toPeer(NodeEntry entry, HostPort relayServer) {
        NodeKey key = key(entry.publicKey());
        if (key == null) {
            return null;
        }
        List<IpPrefix> allowed = new ArrayList<>(2);
        addHost(allowed, entry.ipv4(), 32);
        addHost(allowed, entry.ipv6(), 128);
        List<EndpointSpec> candidates = candidates(entry.endpoints());
        if (relayServer != null) {
            EndpointSpec relay = new EndpointSpec(RELAY, key.toBase64() + "@" + relayServer);
            candidates.remove(relay);
            candidates.add(relay); // direct candidates first: the relay only when none answers
        }
        return new PeerConfig(key, candidates, allowed, KEEPALIVE_SECONDS, entry.name());
    }

    /** The usable ones; what does not parse is skipped, the map is another node's word. */
    private static List<EndpointSpec> candidates(List<String> endpoints) {
        List<EndpointSpec> candidates = new ArrayList<>();
        for (String text : endpoints) {
            try {
                EndpointSpec spec = text == null ? null : EndpointSpec.parse(text);
                if (spec != null && !candidates.contains(spec) && !udpHostName(spec)) {
                    candidates.add(spec);
                }
            } catch (IllegalArgumentException e) {
                // next one
            }
        }
        return candidates;
    }

    /** A UDP host name would mean a DNS lookup per peer whenever the map changes: nodes report addresses. */
    private static boolean udpHostName(EndpointSpec spec) {
        return EndpointSpec.UDP.equals(spec.transport()) && !HostPort.parse(spec.address(), "endpoint", 51820).isIpLiteral();
    }

    private static void addHost(List<IpPrefix> allowed, String address, int bits) {
        if (address == null || address.isBlank() || address.indexOf('/') >= 0) {
            return;
        }
        try {
            IpPrefix prefix = IpPrefix.parse(address.strip());
            if (prefix.length() == bits) {
                allowed.add(prefix);
            }
        } catch (IllegalArgumentException e) {
            // an unusable address routes nothing to this peer
        }
    }
}
