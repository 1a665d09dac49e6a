package io.tunnelmesh.transport.tcp.example;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * An example transport: WireGuard datagrams over plain TCP, for peers written {@code tcp:HOST:PORT}. The service the
 * node binds is this class; the {@code transport.name} property is how it finds it by the name in endpoints. A new
 * configuration activates a new instance, so the node rebinds with the new settings.
 *
 * <p>It is an example of the SPI, not a way through firewalls worth having: it has no authentication of its own (the
 * datagrams are WireGuard's, which need none) and TCP under TCP suffers on lossy paths. See docs/TRANSPORT-SPI.md.
 */
@Component(service = Transport.class, property = Transport.NAME_PROPERTY + "=" + TcpTransport.NAME,
        configurationPid = TcpTransport.PID)
@Designate(ocd = TcpTransportConfig.class)
public final class TcpTransport implements Transport {
    static final String NAME = "tcp";
    static final String PID = "io.tunnelmesh.transport.tcp.example";

    private final Logger log;
    private final TcpSettings settings;
    private final Set<TcpBinding> open = ConcurrentHashMap.newKeySet();

    @Activate
    public TcpTransport(TcpTransportConfig config, @Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
        this.settings = readSettings(config, log);
    }

    /** A bad value is one line in the log and the defaults, not a component that fails to start. */
    private static TcpSettings readSettings(TcpTransportConfig config, Logger log) {
        try {
            return TcpSettings.of(config);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage() + " (in config/" + PID + ".cfg); using the defaults until it is fixed");
            return TcpSettings.DEFAULTS;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Endpoint parseEndpoint(String address) {
        return TcpEndpoint.parse(address);
    }

    @Override
    public TransportBinding bind(TransportOptions options, DatagramReceiver receiver) throws IOException {
        TcpBinding binding = TcpBinding.open(options.listenPort(), receiver, settings, log::warn, open::remove);
        open.add(binding);
        log.info("TCP transport (example) listening: {}", binding);
        return binding;
    }

    /** The node closes its bindings when this service goes; any still open (a node that never did) go here. */
    @Deactivate
    void deactivate() {
        open.forEach(TcpBinding::close);
    }
}
