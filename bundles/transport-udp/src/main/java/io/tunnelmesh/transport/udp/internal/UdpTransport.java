package io.tunnelmesh.transport.udp.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.EndpointDiscovery;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The UDP transport: one dual-stack socket on Netty native epoll (NIO fallback), batched receive and send.
 * Everything Netty-specific stays inside this bundle; the node sees only the transport SPI. It also asks STUN
 * servers from that socket ({@link EndpointDiscovery}), so the coordinator link can report the NAT's mapping.
 */
@Component(service = {Transport.class, EndpointDiscovery.class}, property = Transport.NAME_PROPERTY + "=" + UdpTransport.NAME,
        configurationPid = UdpTransport.PID)
@Designate(ocd = UdpTransportConfig.class)
public final class UdpTransport implements Transport, EndpointDiscovery {
    static final String NAME = "udp";
    static final String PID = "io.tunnelmesh.transport.udp";

    @Reference(service = LoggerFactory.class)
    private Logger log;
    private volatile UdpSettings settings = UdpSettings.DEFAULTS;
    /** The socket discovery asks from: the latest binding the node opened. */
    private volatile UdpBinding current;

    @Activate
    @Modified
    void configure(UdpTransportConfig config) {
        settings = new UdpSettings(config.socket_buffer_bytes(), config.max_datagram_bytes(), config.receive_batch(),
                config.send_queue_datagrams(), config.segment_offload(), config.receive_offload());
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
        current = binding;
        return binding;
    }

    @Override
    public String transport() {
        return NAME;
    }

    /** Empty at once when nothing is bound: there is no socket whose mapping a server could see. */
    @Override
    public CompletableFuture<List<String>> discover(List<String> servers, Duration timeout) {
        List<InetSocketAddress> addresses = StunClient.resolve(servers);
        UdpBinding binding = current;
        return binding == null ? CompletableFuture.completedFuture(List.of()) : binding.discover(addresses, timeout);
    }
}
