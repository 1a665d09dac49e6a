package io.tunnelmesh.transport.udp.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The UDP transport: one dual-stack socket on Netty native epoll (NIO fallback), batched receive and send.
 * Everything Netty-specific stays inside this bundle; the node sees only the transport SPI.
 */
@Component(service = Transport.class, property = Transport.NAME_PROPERTY + "=" + UdpTransport.NAME,
        configurationPid = UdpTransport.PID)
@Designate(ocd = UdpTransportConfig.class)
public final class UdpTransport implements Transport {
    static final String NAME = "udp";
    static final String PID = "io.tunnelmesh.transport.udp";

    @Reference(service = LoggerFactory.class)
    private Logger log;
    private volatile UdpSettings settings = UdpSettings.DEFAULTS;

    @Activate
    @Modified
    void configure(UdpTransportConfig config) {
        settings = new UdpSettings(config.socket_buffer_bytes(), config.max_datagram_bytes(), config.receive_batch(),
                config.send_queue_datagrams(), config.segment_offload());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Endpoint parseEndpoint(String address) {
        return UdpEndpoint.parse(address);
    }

    /** New settings apply to the next bind; an open binding keeps its socket. */
    @Override
    public TransportBinding bind(TransportOptions options, DatagramReceiver receiver) throws IOException {
        UdpBinding binding = UdpBinding.open(options.listenPort(), receiver, settings, log::warn);
        log.info("UDP transport listening: {}", binding.describeSocket());
        return binding;
    }
}
