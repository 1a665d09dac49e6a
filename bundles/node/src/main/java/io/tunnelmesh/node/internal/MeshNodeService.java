package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.api.node.MeshNode;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerSource;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.node.PingReply;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.tun.TunDevice;
import io.tunnelmesh.api.tun.TunDriver;
import io.tunnelmesh.support.log.ComponentLog;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The node: opens the TUN device with the identity from the key source, runs a {@link DataPlane} and keeps
 * it wired to whatever handshake service, transports and peer configurations are present. Handshake
 * service, transports and configured peers are dynamic references, so their bundles can be stopped,
 * updated and started while the TUN device stays open. A bad setting never throws out of here: the node
 * stays registered with state {@code error} and a detail line, so {@code tm:status} can say what to fix.
 */
@Component(service = MeshNode.class, configurationPid = NodeSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = NodeConfig.class)
public final class MeshNodeService implements MeshNode {
    private final Logger log;
    private final KeySource keySource;
    private final TunDriver tunDriver;

    private final Object lock = new Object();
    private HandshakeService handshake;
    private final Map<Transport, TransportBindings.Offer> transports = new LinkedHashMap<>();
    private final PeerSources peerSources = new PeerSources();
    private final Map<PeerSource, SourceSink> subscriptions = new IdentityHashMap<>();
    /** What a source's sink reads from the node, under {@link #lock}. */
    private final SourceSink.Node sinkView = new SourceSink.Node() {
        @Override
        public PeerSources peerSources() {
            return peerSources;
        }

        @Override
        public DataPlane plane() {
            return plane;
        }

        @Override
        public NodeKey ownKey() {
            return publicKey;
        }

        @Override
        public NodeStatus status() {
            return MeshNodeService.this.status();
        }
    };
    private DataPlane plane;
    private NodeSettings settings;
    private NodeKey publicKey;
    private String keySourceText = "";
    private String error;

    @Activate
    public MeshNodeService(@Reference(service = LoggerFactory.class) Logger log,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) KeySource keySource,
            @Reference(policyOption = ReferencePolicyOption.GREEDY) TunDriver tunDriver) {
        this.log = log;
        this.keySource = keySource;
        this.tunDriver = tunDriver;
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        synchronized (lock) {
            start(context, properties);
        }
    }

    /** A change of the addresses alone is made on the open interface; any other change reopens everything. */
    @Modified
    void modified(BundleContext context, Map<String, Object> properties) {
        synchronized (lock) {
            if (!changedAddressesInPlace(context, properties)) {
                stop();
                start(context, properties);
            }
        }
    }

    private boolean changedAddressesInPlace(BundleContext context, Map<String, Object> properties) {
        if (plane == null) {
            return false;
        }
        NodeSettings next;
        try {
            next = NodeSettings.parse(properties, context::getProperty);
        } catch (IllegalArgumentException e) {
            return false; // start() reports it
        }
        if (!settings.differsOnlyInAddresses(next)) {
            return false;
        }
        try {
            plane.changeAddresses(next);
        } catch (UnsupportedOperationException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            log.warn("changing the interface addresses in place failed, reopening the interface: " + e.getMessage());
            return false;
        }
        settings = next;
        log.info("interface " + next.interfaceName() + " addresses changed in place: "
                + String.join(",", next.addresses().stream().map(IpPrefix::toAddressString).toList()));
        return true;
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            stop();
        }
    }

    private void start(BundleContext context, Map<String, Object> properties) {
        error = null;
        keySourceText = keySource.describe();
        try {
            settings = NodeSettings.parse(properties, context::getProperty);
            StaticKeyPair identity = keySource.identity().keyPair();
            publicKey = identity.publicKey();
            EngineOptions options = new EngineOptions(identity, settings.loadPsk(), InstantSource.system(), settings.mtu());
            if (options.meshKey().isNone()) {
                log.warn("no mesh pre-shared key configured (psk.file): any node knowing a peer's public key can join; create one with `wg genpsk`");
            }
            TunDevice tun = tunDriver.open(settings.tunConfig());
            log.info("interface open: " + tun); // says whether TCP segmentation offload is on, and if not why
            plane = new DataPlane(settings, options, tun, ComponentLog.of(log));
        } catch (KeySourceException e) {
            fail("key source " + keySourceText + ": " + e.getMessage());
            return;
        } catch (IllegalArgumentException | IOException e) {
            fail(e.getMessage());
            return;
        } catch (RuntimeException e) {
            fail("node could not start: " + e);
            return;
        }
        transports.values().forEach(plane::offerTransport); // before start: each name's best is bound at once, no switching
        plane.start();
        peerSources.applyTo(plane);
        plane.useHandshakeService(handshake);
    }

    private void fail(String message) {
        error = message;
        log.error("node not started: " + message);
    }

    private void stop() {
        if (plane != null) {
            plane.close();
            plane = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindHandshake(HandshakeService service) {
        synchronized (lock) {
            handshake = service;
            if (plane != null) {
                plane.useHandshakeService(service);
            }
        }
    }

    void unbindHandshake(HandshakeService service) {
        synchronized (lock) {
            if (handshake == service) {
                handshake = null;
                if (plane != null) {
                    plane.useHandshakeService(null);
                }
            }
        }
    }

    /** Of several transports with one name, {@code service.ranking} decides which is bound (see {@link TransportBindings}). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedTransport")
    void bindTransport(Transport transport, Map<String, Object> properties) {
        TransportBindings.Offer offer = offer(transport, properties);
        synchronized (lock) {
            transports.put(transport, offer);
            if (plane != null) {
                plane.offerTransport(offer);
            }
        }
    }

    /** A changed {@code service.ranking} may make another service of the name the one to bind. */
    void updatedTransport(Transport transport, Map<String, Object> properties) {
        bindTransport(transport, properties);
    }

    private static TransportBindings.Offer offer(Transport transport, Map<String, Object> properties) {
        Object name = properties.get(Transport.NAME_PROPERTY);
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        return new TransportBindings.Offer(transport, name == null ? transport.name() : String.valueOf(name),
                ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : Long.MAX_VALUE);
    }

    void unbindTransport(Transport transport) {
        synchronized (lock) {
            transports.remove(transport);
            if (plane != null) {
                plane.withdrawTransport(transport);
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            updated = "updatedConfiguredPeer")
    void bindConfiguredPeer(ConfiguredPeer peer) {
        synchronized (lock) {
            peerSources.fileAdded(peer, plane);
        }
    }

    void updatedConfiguredPeer(ConfiguredPeer peer) {
        synchronized (lock) {
            peerSources.fileChanged(peer, plane);
        }
    }

    void unbindConfiguredPeer(ConfiguredPeer peer) {
        synchronized (lock) {
            peerSources.fileRemoved(peer, plane);
        }
    }

    /**
     * Subscribes outside the lock (foreign code; it may deliver from its own threads at once) and closes the
     * handle at once if the source was unbound meanwhile.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindPeerSource(PeerSource source) {
        SourceSink sink;
        synchronized (lock) {
            sink = new SourceSink(sourceName(source), lock, sinkView);
            subscriptions.put(source, sink);
            peerSources.sourceAdded(sink);
        }
        try {
            AutoCloseable handle = source.subscribe(sink);
            if (!sink.subscribed(handle)) {
                closeSubscription(sink.name(), handle);
            }
        } catch (RuntimeException | LinkageError e) {
            log.error("peer source " + sink.name() + " could not be subscribed to, its peers are ignored: " + e);
            unbindPeerSource(source);
        }
    }

    void unbindPeerSource(PeerSource source) {
        SourceSink sink;
        AutoCloseable handle;
        synchronized (lock) {
            sink = subscriptions.remove(source);
            if (sink == null) {
                return;
            }
            handle = sink.close();
            peerSources.sourceRemoved(sink, plane);
        }
        closeSubscription(sink.name(), handle);
    }

    private String sourceName(PeerSource source) {
        try {
            return source.name();
        } catch (RuntimeException | LinkageError e) {
            return source.getClass().getName();
        }
    }

    private void closeSubscription(String name, AutoCloseable handle) {
        if (handle == null) {
            return;
        }
        try {
            handle.close();
        } catch (Exception | LinkageError e) { // a stopped bundle's handle may fail; its peers are gone already
            log.warn("peer source " + name + ": closing the subscription failed: " + e);
        }
    }

    @Override
    public NodeStatus status() {
        synchronized (lock) {
            if (plane != null) {
                NodeStatus s = plane.status(keySourceText);
                String problems = peerSources.fileErrors();
                if (problems.isEmpty()) {
                    return s;
                }
                String detail = s.detail().isEmpty() ? problems : s.detail() + "; " + problems;
                return new NodeStatus(s.publicKey(), s.keySource(), s.interfaceName(), s.addresses(), s.listenPort(),
                        s.transports(), s.drops(), s.state(), detail);
            }
            return new NodeStatus(publicKey, keySourceText, null, settings == null ? List.of() : settings.addresses(),
                    settings == null ? 0 : settings.listenPort(), List.of(), Map.of(), "error",
                    error == null ? "node is stopped" : error);
        }
    }

    @Override
    public List<PeerStatus> peers() {
        synchronized (lock) {
            return plane == null ? List.of() : plane.peerStatus();
        }
    }

    @Override
    public void addPeer(PeerConfig peer) {
        if (peer == null) {
            throw new IllegalArgumentException("no peer given");
        }
        if (peer.publicKey().equals(publicKey)) {
            throw new IllegalArgumentException("peer " + peer.publicKey() + " is this node's own public key");
        }
        synchronized (lock) {
            String refused = plane == null ? null : plane.refusedEndpoint(peer);
            if (refused != null) {
                throw new IllegalArgumentException(refused);
            }
            peerSources.add(peer, plane);
        }
    }

    @Override
    public boolean removePeer(NodeKey key) {
        synchronized (lock) {
            return peerSources.remove(key, plane);
        }
    }

    @Override
    public Optional<PingReply> ping(NodeKey key, Duration timeout) throws InterruptedException {
        DataPlane p;
        synchronized (lock) {
            p = plane;
        }
        if (p == null) {
            throw new IllegalStateException("the node is not running: " + (error == null ? "node is stopped" : error));
        }
        return Optional.ofNullable(p.ping(key, timeout.toNanos())); // waits outside the lock
    }
}
