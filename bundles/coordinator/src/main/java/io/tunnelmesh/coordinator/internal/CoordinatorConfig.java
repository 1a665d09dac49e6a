package io.tunnelmesh.coordinator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.tunnelmesh.coordinator}; see {@link CoordinatorSettings} for the defaults. */
@ObjectClassDefinition(name = "TunnelMesh/J coordinator",
        description = "The coordinator's control port, mesh address range, admission by SSH key and STUN responder.")
@interface CoordinatorConfig {
    @AttributeDefinition(description = "IP:PORT the control server listens on (framework property tm.coordinator.listen overrides)")
    String listen() default CoordinatorSettings.DEFAULT_LISTEN;

    @AttributeDefinition(name = "mesh.cidr", description = "IPv4 range node addresses come from, fixed when the mesh is created (tm.coordinator.mesh-cidr overrides)")
    String mesh_cidr() default CoordinatorSettings.DEFAULT_MESH_CIDR;

    @AttributeDefinition(required = false, description = "comma-separated HOST:PORT put into join tokens; default: the listen address, or every address of this machine when listening on all")
    String advertise() default "";

    @AttributeDefinition(name = "authorized.keys", required = false, description = "OpenSSH authorized_keys file whose keys may join without a token secret; default ${tm.config}/authorized_keys")
    String authorized_keys() default "";

    @AttributeDefinition(name = "stun.port", description = "UDP port of the STUN responder on all addresses, IPv4 and IPv6; 0 = none (tm.coordinator.stun-port overrides)")
    int stun_port() default io.tunnelmesh.stun.Stun.DEFAULT_PORT;
}
