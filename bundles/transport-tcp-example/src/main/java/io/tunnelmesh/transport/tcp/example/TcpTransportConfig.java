package io.tunnelmesh.transport.tcp.example;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the example TCP transport (config/io.tunnelmesh.transport.tcp.example.cfg); every one is optional. */
@ObjectClassDefinition(name = "TunnelMesh TCP transport (example)", description = "Frame and buffer limits")
@interface TcpTransportConfig {
    @AttributeDefinition(description = "Largest datagram sent or accepted; must exceed the mesh MTU + 32. A peer"
            + " sending a longer frame is disconnected")
    int max_datagram_bytes() default 4096;

    @AttributeDefinition(description = "Bytes of frames that may wait for one connection's socket before send() drops")
    int send_buffer_bytes() default 65536;

    @AttributeDefinition(description = "Connections open at once, accepted and made; when full, the one idle longest"
            + " is closed for a new one")
    int max_connections() default 64;
}
