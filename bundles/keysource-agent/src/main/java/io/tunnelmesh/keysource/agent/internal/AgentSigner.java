package io.tunnelmesh.keysource.agent.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.SshKeyType;
import io.tunnelmesh.ssh.internal.SshPublicKey;
import io.tunnelmesh.ssh.internal.SshSigner;

/** Signs through the agent, so the SSH private key never leaves it. */
final class AgentSigner implements SshSigner {
    private final AgentClient client;
    private final AgentIdentity identity;
    private final SshKeyType type;

    AgentSigner(AgentClient client, AgentIdentity identity) throws KeySourceException {
        this.client = client;
        this.identity = identity;
        this.type = SshKeyType.require(identity.key().type(), "ssh-agent key " + identity.label());
    }

    @Override
    public SshPublicKey publicKey() {
        return identity.key();
    }

    @Override
    public String describe() {
        return "ssh-agent key " + identity.label();
    }

    @Override
    public byte[] sign(byte[] data) throws KeySourceException {
        return client.sign(identity, data, type.agentSignFlags());
    }
}
