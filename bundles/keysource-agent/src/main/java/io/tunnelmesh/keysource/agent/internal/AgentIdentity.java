package io.tunnelmesh.keysource.agent.internal;

import io.tunnelmesh.ssh.internal.SshPublicKey;

/** A key the agent holds: its public key and the comment it was added with. */
record AgentIdentity(SshPublicKey key, String comment) {
    /** {@code SHA256:… (comment) type}, as {@code ssh-add -l} shows keys. */
    String label() {
        return key.fingerprint() + (comment.isEmpty() ? "" : " (" + comment + ")") + " " + key.type();
    }
}
