package io.tunnelmesh.control;

import java.util.List;

/** A mesh member as the coordinator describes it (the protocol's "node" object). */
public record NodeEntry(String publicKey, String name, String ipv4, String ipv6, List<String> endpoints, String sshFingerprint, boolean online) {
    public NodeEntry {
        endpoints = Lists.orEmpty(endpoints, "endpoints");
    }
}
