package io.tunnelmesh.transport.relay.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the relay transport (config/io.tunnelmesh.transport.relay.cfg); every one is optional. The
 * coordinator's relay needs none: its address and key come from the coordinator link's configuration.
 */
@ObjectClassDefinition(name = "TunnelMesh relay transport", description = "Relay servers besides the coordinator, and the send queue")
@interface RelayTransportConfig {
    @AttributeDefinition(description = "Relay servers besides the coordinator, comma separated: HOST:PORT=KEY, KEY the"
            + " server's base64 public key", required = false)
    String servers() default "";

    @AttributeDefinition(description = "Relay through the coordinator this node joined (its control address and key)")
    boolean use_coordinator() default true;

    @AttributeDefinition(description = "Bytes of frames one relay link may queue before send() drops (65536-67108864);"
            + " the socket is given more below half of it")
    int queue_bytes() default 256 << 10;
}
