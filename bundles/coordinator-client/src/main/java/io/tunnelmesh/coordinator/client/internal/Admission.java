package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.control.Welcome;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What a successful welcome gave this node: its name, its interface addresses (its mesh address with the mesh's
 * prefix length, so the whole mesh routes into the TUN device) and the mesh pre-shared key.
 */
record Admission(String name, IpPrefix ipv4, IpPrefix ipv6, String meshPsk) {
    static final int DEFAULT_IPV6_LENGTH = 64;

    /** @throws JoinFailedException when the welcome lacks what a node needs (a coordinator bug, said in one line) */
    static Admission of(Welcome welcome) throws JoinFailedException {
        if (welcome.self() == null) {
            throw new JoinFailedException("the coordinator admitted this node but sent no node entry: upgrade the coordinator");
        }
        String name = welcome.self().name();
        IpPrefix ipv4 = address(welcome.self().ipv4(), prefixLength(welcome.ipv4Cidr(), 32, "ipv4Cidr"), "IPv4");
        IpPrefix ipv6 = address(welcome.self().ipv6(), prefixLength(welcome.ipv6Prefix(), DEFAULT_IPV6_LENGTH, "ipv6Prefix"), "IPv6");
        if (ipv4 == null && ipv6 == null) {
            throw new JoinFailedException("the coordinator admitted this node but gave it no mesh address: check its --mesh-cidr");
        }
        String psk = welcome.meshPsk();
        if (psk != null) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(psk.strip());
            } catch (IllegalArgumentException e) {
                raw = new byte[0];
            }
            if (raw.length != 32) {
                throw new JoinFailedException("the coordinator sent a mesh pre-shared key that is not 32 bytes of base64: upgrade or repair the coordinator");
            }
            psk = psk.strip();
        }
        return new Admission(name == null || name.isBlank() ? "(unnamed)" : name, ipv4, ipv6, psk);
    }

    /** What {@code tm:join} prints: the name, each address, and on the last line what to do next. */
    List<String> report(boolean nodeRunning) {
        List<String> lines = new ArrayList<>();
        lines.add("joined mesh as " + name);
        addresses().forEach(a -> lines.add("address: " + a));
        lines.add(nodeRunning ? "the running node picks it up" : "run 'tunnelmesh up' to start the node");
        return lines;
    }

    /** The {@code address} value of the node's config: its interface addresses, comma separated. */
    String addressSetting() {
        return String.join(",", addresses());
    }

    List<String> addresses() {
        List<String> out = new ArrayList<>(2);
        if (ipv4 != null) {
            out.add(ipv4.toAddressString());
        }
        if (ipv6 != null) {
            out.add(ipv6.toAddressString());
        }
        return out;
    }

    private static int prefixLength(String cidr, int fallback, String field) throws JoinFailedException {
        if (cidr == null || cidr.isBlank()) {
            return fallback;
        }
        try {
            return IpPrefix.parse(cidr).length();
        } catch (IllegalArgumentException e) {
            throw new JoinFailedException("the coordinator's " + field + " '" + cidr + "' is not a prefix: " + e.getMessage());
        }
    }

    private static IpPrefix address(String text, int length, String family) throws JoinFailedException {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return IpPrefix.parse(text.strip() + "/" + length);
        } catch (IllegalArgumentException e) {
            throw new JoinFailedException("the coordinator gave this node the " + family + " address '" + text
                    + "', which is not one: " + e.getMessage());
        }
    }
}
