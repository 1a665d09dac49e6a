package io.tunnelmesh.coordinator.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code io.tunnelmesh.coordinator.client}; {@code tm:join} writes it, operators rarely edit it. */
@ObjectClassDefinition(name = "TunnelMesh coordinator link",
        description = "Where this node's coordinator is and the key it must prove. Written by 'tunnelmesh join'.")
@interface LinkConfig {
    @AttributeDefinition(name = "Coordinator key", description = "The coordinator's static public key, base64 (from the join token).")
    String coordinator_key();

    @AttributeDefinition(name = "Coordinator addresses", description = "HOST:PORT of the coordinator, comma separated, tried in order.")
    String coordinator_addresses();

    @AttributeDefinition(name = "Name", description = "The name the coordinator gave this node.", required = false)
    String name() default "";

    @AttributeDefinition(name = "STUN servers", required = false, description = "Asked every 25 s from the WireGuard socket for this"
            + " node's reflexive address: 'coordinator' (or coordinator:PORT) is the coordinator's own responder on 3478,"
            + " other entries HOST:PORT, comma separated; empty turns discovery off.")
    String stun_servers() default StunServers.COORDINATOR;
}
