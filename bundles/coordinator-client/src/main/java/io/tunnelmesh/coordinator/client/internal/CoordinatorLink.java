package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.node.PeerSink;
import io.tunnelmesh.api.node.PeerSource;
import io.tunnelmesh.api.transport.EndpointDiscovery;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.support.log.ComponentLog;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * This node's link to its coordinator, present once {@code tm:join} wrote its configuration: a {@link PeerSource}
 * named {@code coordinator} that the node subscribes to. A new configuration (a rejoin) replaces the component, so
 * a link stopped by {@code bye} starts again. A bad configuration is one log line and a status; the cached map is
 * still delivered. Delayed (DS activates it when the node subscribes): a one-shot runtime without a node, such as
 * the one {@code bin/tunnelmesh join} or {@code pubkey} starts, does not open a session the coordinator would see
 * come and go.
 */
@Component(service = {PeerSource.class, CoordinatorLink.class}, configurationPid = LinkSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LinkConfig.class)
public final class CoordinatorLink implements PeerSource {
    static final String NAME = "coordinator";

    /** The udp transport's STUN client, when it offers one: reflexive endpoints come from its socket. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + Transport.NAME_PROPERTY + "=udp)")
    private volatile EndpointDiscovery udpDiscovery;

    private final PeerHub hub;
    private final PeerCache cache;
    private final LinkRunner runner;
    private final String error;

    @Activate
    public CoordinatorLink(@Reference(service = LoggerFactory.class) Logger logger,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) KeySource keySource, BundleContext context,
            Map<String, Object> properties) {
        ComponentLog log = ComponentLog.of(logger);
        InstallationPaths paths = InstallationPaths.from(context::getProperty);
        LinkTimings timings = LinkTimings.DEFAULT;
        this.hub = new PeerHub(log);
        this.cache = new PeerCache(paths.peerCache(), new ControlCodec(), InstantSource.system(), timings.cacheInterval(), log);
        LinkSettings settings = null;
        String problem = null;
        try {
            settings = LinkSettings.parse(properties);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
            log.error("coordinator link not started: " + problem);
        }
        this.error = problem;
        StunServers stun = StunServers.DEFAULT;
        try {
            stun = StunServers.parse(properties);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage() + "; asking only the coordinator");
        }
        this.runner = settings == null ? null : new LinkRunner(settings, keySource,
                new NodeLocalReport(hub::nodeStatus, paths.nodeConfig()),
                new ReflexiveEndpoints(() -> udpDiscovery, stun, ReflexiveEndpoints.INTERVAL, log), hub, cache, timings,
                InstantSource.system(), new SecureRandom(), log);
        if (runner == null) {
            hub.replaceAll(new MeshMap().replace(cache.load()));
        }
    }

    @Activate
    void activate() {
        if (runner != null) {
            runner.start();
        }
    }

    @Deactivate
    void deactivate() {
        if (runner != null) {
            runner.close();
        }
        hub.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AutoCloseable subscribe(PeerSink sink) {
        return hub.subscribe(sink);
    }

    String status() {
        LinkStatus s = runner != null ? runner.status()
                : new LinkStatus("error", null, null, hub.size(), null, 0, error);
        return s.text(Instant.now());
    }
}
