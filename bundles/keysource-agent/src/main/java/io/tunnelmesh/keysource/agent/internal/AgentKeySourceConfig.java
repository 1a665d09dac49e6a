package io.tunnelmesh.keysource.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "TunnelMesh identity from an ssh-agent",
        description = "Derives the node's static X25519 key from a signature made by a running ssh-agent, so the SSH"
                + " private key never leaves the agent. Written by tunnelmesh init --agent.")
@interface AgentKeySourceConfig {
    @AttributeDefinition(name = "Agent socket", description = "Path of the agent's Unix socket; empty means the"
            + " SSH_AUTH_SOCK environment variable of the node", required = false)
    String agent_socket() default "";

    @AttributeDefinition(name = "Key", description = "SHA256 fingerprint or comment of the agent key to use; empty"
            + " means the only ssh-ed25519/ssh-rsa key the agent holds", required = false)
    String agent_key() default "";

    @AttributeDefinition(name = "Timeout (s)", description = "How long to wait for the agent, e.g. while it asks"
            + " to confirm a key added with ssh-add -c")
    int agent_timeout_seconds() default 30;

    @AttributeDefinition(name = "Pin file", description = "Where the derived public key is pinned; empty means"
            + " ${tm.home}/data/identity/node.pub", required = false)
    String pin_file() default "";
}
