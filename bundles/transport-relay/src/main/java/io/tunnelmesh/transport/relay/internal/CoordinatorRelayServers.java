package io.tunnelmesh.transport.relay.internal;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The coordinator's relay servers ({@code coordinator.servers=HOST:PORT=KEY,…}), present while the coordinator link
 * publishes them in {@value #PID} (bundle tm-coordinator-client, after {@code tunnelmesh join}). A component of its
 * own, so the transport's own configuration stays the operator's: a change here reactivates the transport (a
 * greedy static reference) and the node rebinds.
 */
@Component(service = CoordinatorRelayServers.class, configurationPid = CoordinatorRelayServers.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class CoordinatorRelayServers {
    static final String PID = "io.tunnelmesh.transport.relay.coordinator";

    private final Object servers;

    @Activate
    public CoordinatorRelayServers(Map<String, Object> properties) {
        this.servers = properties.get(RelaySettings.COORDINATOR_SERVERS);
    }

    /** The setting's value as configured (the settings parser reads it). */
    Object servers() {
        return servers;
    }
}
