package io.tunnelmesh.api.coordinator;

import io.tunnelmesh.api.NodeKey;
import java.util.List;

/**
 * What a joining node asks for, after the coordinator has authenticated its key (Noise IK) and checked
 * how it may be admitted.
 *
 * @param tokenId       the token to consume, or null when admitted by SSH key (authorized_keys)
 * @param secretHash    SHA-256 of the secret the node presented (null with a null tokenId)
 * @param name          the wanted name, already DNS-safe
 * @param nameExplicit  true = the operator chose it ({@code --name}): taken is an error; false = from the
 *                      hostname: the store appends {@code -2}, {@code -3}… until it is free
 */
public record AdmissionRequest(NodeKey publicKey, String tokenId, byte[] secretHash, String name,
        boolean nameExplicit, byte[] sshPublicKey, String sshFingerprint, byte[] binding, List<String> endpoints) {
    public AdmissionRequest {
        sshPublicKey = sshPublicKey == null ? new byte[0] : sshPublicKey.clone();
        sshFingerprint = sshFingerprint == null ? "" : sshFingerprint;
        binding = binding == null ? new byte[0] : binding.clone();
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
    }
}
