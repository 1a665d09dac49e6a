package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.HostPort;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Tells the relay transport where this node's coordinator relays: while the link's configuration exists, the
 * configuration {@value #RELAY_PID} holds {@code coordinator.servers=HOST:PORT=KEY,…} (every coordinator address,
 * the coordinator's key), so after {@code tunnelmesh join} relayed peers work with no manual step. Published with
 * location {@code ?} so the relay bundle may read it; removed when the link's configuration is deleted.
 */
@Component(configurationPid = LinkSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class RelayServerPublisher {
    static final String RELAY_PID = "io.tunnelmesh.transport.relay.coordinator";
    static final String SERVERS = "coordinator.servers";

    private final ConfigurationAdmin cm;
    private final Logger log;

    @Activate
    public RelayServerPublisher(@Reference ConfigurationAdmin cm, @Reference(service = LoggerFactory.class) Logger log,
            Map<String, Object> properties) {
        this.cm = cm;
        this.log = log;
        publish(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        publish(properties);
    }

    @Deactivate
    void deactivate(int reason) {
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            try {
                cm.getConfiguration(RELAY_PID, "?").delete();
            } catch (IOException | RuntimeException e) {
                log.warn("coordinator link: could not withdraw the relay servers: " + e.getMessage());
            }
        }
    }

    private void publish(Map<String, Object> properties) {
        LinkSettings settings;
        try {
            settings = LinkSettings.parse(properties);
        } catch (IllegalArgumentException e) {
            return; // CoordinatorLink logs it
        }
        String servers = servers(settings.addresses(), settings.coordinatorKey().toBase64());
        try {
            Configuration c = cm.getConfiguration(RELAY_PID, "?");
            Dictionary<String, Object> current = c.getProperties();
            if (current != null && servers.equals(current.get(SERVERS))) {
                return; // unchanged: the relay transport need not rebind
            }
            Dictionary<String, Object> next = new Hashtable<>();
            next.put(SERVERS, servers);
            c.update(next);
        } catch (IOException | RuntimeException e) {
            log.warn("coordinator link: could not tell the relay transport about the coordinator (" + e.getMessage()
                    + "): relayed peers wait until the next start");
        }
    }

    static String servers(List<HostPort> addresses, String key) {
        return addresses.stream().map(a -> a + "=" + key).collect(Collectors.joining(","));
    }
}
