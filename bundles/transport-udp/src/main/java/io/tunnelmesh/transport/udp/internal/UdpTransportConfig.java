package io.tunnelmesh.transport.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Tuning of the UDP transport (config/io.tunnelmesh.transport.udp.cfg); defaults suit a 1420-byte mesh MTU. */
@ObjectClassDefinition(name = "TunnelMesh UDP transport", description = "Socket and batching sizes")
@interface UdpTransportConfig {
    @AttributeDefinition(description = "SO_RCVBUF/SO_SNDBUF in bytes (forced past rmem_max when running as root)")
    int socket_buffer_bytes() default 8 << 20;

    @AttributeDefinition(description = "Largest datagram received whole; must exceed the mesh MTU + 32")
    int max_datagram_bytes() default 4096;

    @AttributeDefinition(description = "Datagrams per recvmmsg call")
    int receive_batch() default 32;

    @AttributeDefinition(description = "Datagrams that may wait to be sent before send() drops")
    int send_queue_datagrams() default 16384;

    @AttributeDefinition(description = "Send runs of equal-size datagrams to one peer as one UDP_SEGMENT (GSO) send")
    boolean segment_offload() default true;

    @AttributeDefinition(description = "Receive runs of one sender's datagrams whole (UDP_GRO): one receive for up to"
            + " 64 KiB; turned off for a second at a time while datagrams arrive one by one back to back (a flood)")
    boolean receive_offload() default true;
}
