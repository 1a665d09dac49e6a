package io.tunnelmesh.api.identity;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a node's static identity comes from. Implementations derive the X25519 key from an SSH key (a
 * key file, or a running ssh-agent so the SSH private key never leaves the agent) and register this service
 * with the property {@code keysource.kind} ({@code file}, {@code agent}).
 */
@ConsumerType
public interface KeySource {
    /** Service property naming the kind of key source. */
    String KIND_PROPERTY = "keysource.kind";

    /** Short description for status output, e.g. {@code file /home/me/.ssh/id_ed25519}. Never secret. */
    String describe();

    /**
     * Derives (or returns the already derived) identity.
     *
     * @throws KeySourceException with a message an operator can act on
     */
    NodeIdentity identity() throws KeySourceException;
}
