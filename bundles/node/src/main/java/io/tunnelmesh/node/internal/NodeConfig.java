package io.tunnelmesh.node.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the node configuration, {@code config/io.tunnelmesh.node.cfg}. The node reads the raw
 * properties itself (see {@link NodeSettings}) so a bad value gives a clear line instead of a silent default.
 */
@ObjectClassDefinition(name = "TunnelMesh node", description = "The local node: its TUN interface, mesh address, listen port and mesh key.")
@interface NodeConfig {
    @AttributeDefinition(name = "Interface name", description = "TUN interface to create (1-15 characters). Overridden by `tunnelmesh up --interface`.")
    String interface_name() default "tm0";

    @AttributeDefinition(name = "Address", description = "Comma-separated mesh addresses with prefix length, IPv4 and/or IPv6, e.g. 10.99.0.1/24,fd00::1/64. Overridden by --address.", required = false)
    String address();

    @AttributeDefinition(name = "Listen port", description = "Port every transport listens on where it has ports, e.g. the udp transport's UDP port (0 = any free port, kept across a transport's replacement). Overridden by --listen-port.")
    int listen_port() default 51820;

    @AttributeDefinition(name = "MTU", description = "Interface MTU, 576-65535.")
    int mtu() default 1420;

    @AttributeDefinition(name = "PSK file", description = "File holding the mesh pre-shared key in base64, as `wg genpsk` writes it. Empty: no pre-shared key. Overridden by --psk-file.", required = false)
    String psk_file();
}
