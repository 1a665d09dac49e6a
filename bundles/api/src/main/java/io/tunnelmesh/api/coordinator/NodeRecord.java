package io.tunnelmesh.api.coordinator;

import io.tunnelmesh.api.NodeKey;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * One admitted node. Public material only: the coordinator never holds a node's private key.
 *
 * @param sshPublicKey   SSH public key in wire encoding, or empty when the node did not send one
 * @param sshFingerprint {@code SHA256:…}, or empty
 * @param binding        SSHSIG over the X25519 key by the SSH key ({@code tunnelmesh-binding-v1}), or empty
 * @param endpoints      what the node reported plus what the coordinator saw, as {@code HOST:PORT} strings
 * @param tokenId        the token that admitted it, or empty when admitted by SSH key
 * @param lastSeen       last time it was connected (or {@link #createdAt})
 */
public record NodeRecord(NodeKey publicKey, String name, InetAddress ipv4, InetAddress ipv6, byte[] sshPublicKey,
        String sshFingerprint, byte[] binding, List<String> endpoints, String tokenId, Instant createdAt,
        Instant lastSeen) {
    public NodeRecord {
        sshPublicKey = sshPublicKey.clone();
        binding = binding.clone();
        endpoints = List.copyOf(endpoints);
    }

    @Override
    public byte[] sshPublicKey() {
        return sshPublicKey.clone();
    }

    @Override
    public byte[] binding() {
        return binding.clone();
    }
}
