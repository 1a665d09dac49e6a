package io.tunnelmesh.transport.relay.internal;

import io.tunnelmesh.api.Endpoint;
import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.transport.DatagramReceiver;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.transport.TransportBinding;
import io.tunnelmesh.api.transport.TransportOptions;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The relay transport: peers written {@code relay:PEERKEY@HOST:PORT} are reached through the relay server at
 * HOST:PORT, which forwards by public key. Its servers are those of its own configuration and those the coordinator
 * link publishes ({@link CoordinatorRelayServers}, from what {@code tunnelmesh join} wrote), so the coordinator a
 * node joined is its relay with no further step. A changed configuration (a join, a rejoin) activates a new instance and the node
 * rebinds.
 */
@Designate(ocd = RelayTransportConfig.class)
@Component(service = Transport.class, property = Transport.NAME_PROPERTY + "=" + RelayTransport.NAME,
        configurationPid = RelayTransport.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RelayTransport implements Transport {
    static final String NAME = "relay";
    static final String PID = "io.tunnelmesh.transport.relay";

    private final Logger log;
    private final KeySource keys;
    private final RelaySettings settings;
    private final Set<RelayBinding> open = ConcurrentHashMap.newKeySet();

    @Activate
    public RelayTransport(@Reference(service = LoggerFactory.class) Logger log,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) KeySource keys,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            CoordinatorRelayServers coordinator, Map<String, Object> properties) {
        this.log = log;
        this.keys = keys;
        Map<String, Object> all = new HashMap<>(properties);
        if (coordinator != null && coordinator.servers() != null) {
            all.put(RelaySettings.COORDINATOR_SERVERS, coordinator.servers());
        }
        this.settings = readSettings(all, log);
    }

    /** A bad value is one line in the log and no relay servers, not a component that fails to start. */
    private static RelaySettings readSettings(Map<String, Object> properties, Logger log) {
        try {
            RelaySettings s = RelaySettings.parse(properties);
            s.problems().forEach(log::warn);
            return s;
        } catch (IllegalArgumentException e) {
            log.error("relay transport: " + e.getMessage() + " (config/" + PID + ".cfg); no relay servers until it is fixed");
            return new RelaySettings(Map.of(), RelaySettings.DEFAULT_QUEUE_BYTES, List.of());
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Endpoint parseEndpoint(String address) {
        return RelayEndpoint.parse(address, settings.servers());
    }

    @Override
    public TransportBinding bind(TransportOptions options, DatagramReceiver receiver) throws IOException {
        try {
            RelayBinding binding = RelayBinding.open(keys.identity().keyPair(), settings, receiver, log::warn, log::info,
                    open::remove);
            open.add(binding);
            log.info("relay transport bound: {}", binding);
            return binding;
        } catch (KeySourceException e) {
            throw new IOException("relay transport: no node key (" + e.getMessage() + ")");
        }
    }

    /** The node closes its bindings when this service goes; any still open (a node that never did) go here. */
    @Deactivate
    void deactivate() {
        open.forEach(RelayBinding::close);
    }
}
