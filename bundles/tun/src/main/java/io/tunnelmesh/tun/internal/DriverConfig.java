package io.tunnelmesh.tun.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the TUN driver's configuration, {@code config/io.tunnelmesh.tun.cfg}. The driver reads the raw
 * property itself (see {@link LinuxTunDriver}) so a value that is neither true nor false is shown, not guessed.
 */
@ObjectClassDefinition(name = "TunnelMesh TUN driver", description = "How the Linux TUN interface moves packets.")
@interface DriverConfig {
    @AttributeDefinition(name = "Offload", description = "TCP segmentation and checksum offload (IFF_VNET_HDR):"
            + " one read or write moves up to 64 KiB of a TCP flow. false: one packet per system call."
            + " A change reopens the interface.")
    boolean offload() default true;
}
