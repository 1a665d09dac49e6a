package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.PeerConfig;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One peer from a factory configuration {@code io.tunnelmesh.peer} (FileInstall file
 * {@code config/io.tunnelmesh.peer-NAME.cfg}). Registered as a service so the node binds and unbinds peers
 * as files appear, change and disappear. An invalid file is logged once and carries no peer.
 */
@Component(service = ConfiguredPeer.class, configurationPid = ConfiguredPeer.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PeerFileConfig.class, factory = true)
public final class ConfiguredPeer {
    static final String PID = "io.tunnelmesh.peer";

    private final Logger log;
    private volatile PeerConfig peer;
    private volatile String source = PID;
    private volatile String error;

    @Activate
    public ConfiguredPeer(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        // FileInstall records the file as a URL (file:/…/config/io.tunnelmesh.peer-b.cfg): show the path
        source = file != null ? String.valueOf(file).replaceFirst("^file:", "") : String.valueOf(properties.getOrDefault("service.pid", PID));
        try {
            peer = PeerProperties.parse(properties);
            error = null;
        } catch (IllegalArgumentException e) {
            String message = "peer configuration " + source + ": " + e.getMessage() + "; this peer is ignored until the file is fixed";
            if (!message.equals(error)) {
                log.error(message);
            }
            peer = null;
            error = message;
        }
    }

    /** The peer, or null when the configuration is invalid. */
    PeerConfig peer() {
        return peer;
    }

    /** Why the configuration was rejected, or null. */
    String error() {
        return error;
    }
}
