package io.tunnelmesh.node.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of a peer configuration, {@code config/io.tunnelmesh.peer-NAME.cfg}. */
@ObjectClassDefinition(name = "TunnelMesh peer", description = "One peer of the mesh, like a [Peer] section of a WireGuard config.")
@interface PeerFileConfig {
    @AttributeDefinition(name = "Public key", description = "The peer's public key in base64, as `tunnelmesh pubkey` or `wg pubkey` prints it.")
    String public_key();

    @AttributeDefinition(name = "Endpoint", description = "Where to reach the peer: HOST:PORT, [IPV6]:PORT (UDP) or TRANSPORT:ADDRESS of another installed transport, e.g. udp:[fd00::2]:51820; several comma-separated, most preferred first. Empty until the peer contacts us.", required = false)
    String endpoint();

    @AttributeDefinition(name = "Allowed IPs", description = "Comma-separated prefixes routed to the peer and accepted from it, e.g. 10.99.0.2/32,fd00::2/128.", required = false)
    String allowed_ips();

    @AttributeDefinition(name = "Persistent keepalive", description = "Seconds between keepalives (1-65535), or 0/off.", required = false)
    String persistent_keepalive() default "0";
}
