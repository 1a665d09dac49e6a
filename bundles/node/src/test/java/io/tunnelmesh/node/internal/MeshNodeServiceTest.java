package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.api.node.CandidateStatus;
import io.tunnelmesh.api.node.NodeStatus;
import io.tunnelmesh.api.node.PeerStatus;
import io.tunnelmesh.api.tun.TunConfig;
import io.tunnelmesh.api.tun.TunDriver;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;

/** The DS component driven as SCR would drive it, on in-memory TUN and network. */
class MeshNodeServiceTest {
    private static final byte[] RAW = new byte[32];
    private static final NodeKey SELF = NodeKey.of(RAW);
    private static final String PEER = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String OTHER = "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=";

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private TunConfig opened;
    private final List<MemoryTun> tuns = new CopyOnWriteArrayList<>();
    /** An in-memory stand-in for the udp transport. */
    private final MemoryNetwork network = new MemoryNetwork("udp");
    private final MeshNodeService node = new MeshNodeService(logger(), keySource(), driver());

    @AfterEach
    void deactivate() {
        node.deactivate();
    }

    @Test
    void startsWithDefaultsAndComesUpWhenHandshakeAndTransportArrive() {
        node.activate(context(), Map.of("address", "10.99.0.1/24", "listen.port", "0"));
        assertEquals("waiting", node.status().state());
        node.bindTransport(network.transport("192.0.2.1"), Map.of("transport.name", "udp"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        NodeStatus s = node.status();
        assertEquals("up", s.state(), s.detail());
        assertEquals("tm0", s.interfaceName());
        assertEquals(List.of("udp"), s.transports());
        assertTrue(s.listenPort() > 0);
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("info: tunnelmesh up: interface=tm0 address=10.99.0.1/24 transports=udp:")), logged.toString());
    }

    /** DS hands the node each service's properties: service.ranking picks one of two transports of a name. */
    @Test
    void serviceRankingPicksTheTransportAndAChangedRankingSwitches() {
        node.activate(context(), Map.of("listen.port", "0"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        MemoryNetwork.MemoryTransport plain = network.transport("192.0.2.1");
        MemoryNetwork.MemoryTransport preferred = network.transport("192.0.2.1");
        node.bindTransport(plain, Map.of("transport.name", "udp", "service.id", 7L));
        node.bindTransport(preferred, Map.of("transport.name", "udp", "service.id", 8L, "service.ranking", 5));
        assertEquals(1, preferred.binds.get(), "the higher ranking is bound");
        assertEquals(List.of("udp"), node.status().transports(), "one binding per name");
        int port = node.status().listenPort();
        assertEquals(port, preferred.lastBinding.listenPort());

        node.updatedTransport(plain, Map.of("transport.name", "udp", "service.id", 7L, "service.ranking", 9));
        assertEquals(2, plain.binds.get(), "a raised ranking takes over");
        assertEquals(port, plain.lastBinding.listenPort(), "on the port peers know");
        node.unbindTransport(plain);
        assertEquals(2, preferred.binds.get(), "and when it goes the other one is bound again");
        assertEquals("up", node.status().state());
    }

    @Test
    void peerAddTakesEndpointsOfAnyTransportAndRefusesWhatTheBoundOneRefuses() {
        node.activate(context(), Map.of("listen.port", "0"));
        node.bindTransport(network.transport("192.0.2.1"), Map.of("transport.name", "udp"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        node.addPeer(new PeerConfig(NodeKey.parse(PEER), EndpointSpec.parseList("relay:eu-1,192.0.2.9:51820"),
                List.of(IpPrefix.parse("10.99.0.2/32")), 0));
        PeerStatus peer = node.peers().get(0);
        assertEquals("udp:192.0.2.9:51820", String.valueOf(peer.endpoint()), "the candidate whose transport is bound");
        assertEquals(List.of(CandidateStatus.State.WAITING, CandidateStatus.State.USABLE),
                peer.candidates().stream().map(CandidateStatus::state).toList());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> node.addPeer(new PeerConfig(
                NodeKey.parse(OTHER), EndpointSpec.parseList("nowhere.invalid:51820"), List.of(), 0)));
        assertEquals("endpoint 'udp:nowhere.invalid:51820': cannot resolve host 'nowhere.invalid'", refused.getMessage());
        assertEquals(1, node.peers().size(), "a refused peer is not added");
    }

    @Test
    void commandLineOverridesReachTheTunDevice() {
        frameworkProperties.put("tm.up.interface", "tm7");
        frameworkProperties.put("tm.up.address", "10.7.0.1/16");
        node.activate(context(), Map.of("interface.name", "tm0", "address", "10.99.0.1/24"));
        assertEquals("tm7", opened.name());
        assertEquals("10.7.0.1", opened.addresses().get(0).address().getHostAddress());
        assertEquals(16, opened.addresses().get(0).length());
    }

    @Test
    void theConfiguredMtuReachesTheTunDeviceAndTheEngine() {
        List<EngineOptions> engines = new CopyOnWriteArrayList<>();
        node.activate(context(), Map.of("listen.port", "0", "mtu", "1380"));
        node.bindHandshake(options -> {
            engines.add(options);
            return PassThroughEngine.SERVICE.newEngine(options);
        });
        assertEquals(1380, opened.mtu());
        assertEquals(1380, engines.get(0).mtu(), "the engine pads data packets up to this MTU at most");
    }

    @Test
    void badValueGivesErrorStateNotAnException() {
        node.activate(context(), Map.of("listen.port", "seventy"));
        NodeStatus s = node.status();
        assertEquals("error", s.state());
        assertEquals("io.tunnelmesh.node listen.port 'seventy' is not valid: use 0 (any free port) or 1-65535, e.g. 51820", s.detail());
        assertEquals(1, logged.stream().filter(l -> l.contains("listen.port 'seventy'")).count(), "logged once");
        node.modified(context(), Map.of("listen.port", "0"));
        assertEquals("waiting", node.status().state(), "fixing the file recovers without restart");
    }

    @Test
    void configuredPeersComeAndGoAndRuntimePeersSurviveReconfiguration() {
        node.activate(context(), Map.of("listen.port", "0"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        ConfiguredPeer file = new ConfiguredPeer(logger());
        file.configure(Map.of("public.key", PEER, "allowed.ips", "10.99.0.2/32", "felix.fileinstall.filename", "io.tunnelmesh.peer-b.cfg"));
        node.bindConfiguredPeer(file);
        assertEquals(1, node.peers().size());
        file.configure(Map.of("public.key", PEER, "allowed.ips", "10.99.0.2/32,10.50.0.0/16"));
        node.updatedConfiguredPeer(file);
        assertEquals(List.of(IpPrefix.parse("10.99.0.2/32"), IpPrefix.parse("10.50.0.0/16")), node.peers().get(0).allowedIps());
        node.unbindConfiguredPeer(file);
        assertTrue(node.peers().isEmpty());

        node.addPeer(new PeerConfig(NodeKey.parse(PEER), null, List.of(IpPrefix.parse("10.99.0.9/32")), 0));
        node.modified(context(), Map.of("listen.port", "0", "mtu", "1380"));
        assertEquals(1, node.peers().size(), "a peer added from the shell survives a config change");
        assertTrue(node.removePeer(NodeKey.parse(PEER)));
        assertTrue(node.peers().isEmpty());
    }

    @Test
    void invalidPeerFileIsReportedInStatusAndIgnored() {
        node.activate(context(), Map.of("listen.port", "0"));
        ConfiguredPeer file = new ConfiguredPeer(logger());
        file.configure(Map.of("public.key", PEER, "allowed.ips", "10.99.0.2/99", "felix.fileinstall.filename", "io.tunnelmesh.peer-b.cfg"));
        node.bindConfiguredPeer(file);
        assertTrue(node.peers().isEmpty());
        assertTrue(node.status().detail().contains("peer configuration io.tunnelmesh.peer-b.cfg: allowed.ips: prefix length 99"), node.status().detail());
    }

    @Test
    void ownKeyIsNotAPeer() {
        node.activate(context(), Map.of("listen.port", "0"));
        assertThrows(IllegalArgumentException.class, () -> node.addPeer(new PeerConfig(SELF, null, List.of(), 0)));
    }

    @Test
    void handshakeServiceCanGoAndComeBack() {
        node.activate(context(), Map.of("listen.port", "0"));
        node.bindTransport(network.transport("192.0.2.1"), Map.of("transport.name", "udp"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        node.unbindHandshake(PassThroughEngine.SERVICE);
        assertEquals("waiting", node.status().state());
        assertNotNull(node.status().detail());
        node.bindHandshake(PassThroughEngine.SERVICE);
        assertEquals("up", node.status().state());
    }

    @Test
    void shellPeerWinsOverPeerFileWhichWinsOverPeerSourceAndTheNextAppliesWhenTheWinnerGoes() {
        node.activate(context(), Map.of("listen.port", "0"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        TestPeerSource source = new TestPeerSource("coordinator");
        node.bindPeerSource(source);
        source.sink.replaceAll(List.of(peer(PEER, "10.99.0.5/32"), peer(OTHER, "10.99.0.6/32")));
        assertEquals("10.99.0.5/32", allowedIpsOf(PEER));

        ConfiguredPeer file = new ConfiguredPeer(logger());
        file.configure(Map.of("public.key", PEER, "allowed.ips", "10.99.0.2/32", "felix.fileinstall.filename", "io.tunnelmesh.peer-b.cfg"));
        node.bindConfiguredPeer(file);
        assertEquals("10.99.0.2/32", allowedIpsOf(PEER), "a peer file wins over a source");
        source.sink.update(List.of(peer(PEER, "10.99.0.7/32")), List.of());
        assertEquals("10.99.0.2/32", allowedIpsOf(PEER), "the source's change stays hidden behind the file");

        node.addPeer(peer(PEER, "10.99.0.9/32"));
        assertEquals("10.99.0.9/32", allowedIpsOf(PEER), "tm:peer-add wins over a file");
        assertTrue(node.removePeer(NodeKey.parse(PEER)));
        assertEquals("10.99.0.2/32", allowedIpsOf(PEER), "the file applies again");
        node.unbindConfiguredPeer(file);
        assertEquals("10.99.0.7/32", allowedIpsOf(PEER), "the source's latest word applies again");
        assertEquals(2, node.peers().size());

        node.unbindPeerSource(source);
        assertTrue(node.peers().isEmpty(), "an unbound source's peers go");
        assertTrue(source.closed, "its subscription is closed");
        source.sink.replaceAll(List.of(peer(OTHER, "10.99.0.6/32")));
        assertTrue(node.peers().isEmpty(), "a late call of an unbound source's sink is ignored");
    }

    @Test
    void twoSourcesAreKeptApartAndSurviveReconfiguration() {
        node.activate(context(), Map.of("listen.port", "0"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        TestPeerSource first = new TestPeerSource("first");
        TestPeerSource second = new TestPeerSource("second");
        node.bindPeerSource(first);
        node.bindPeerSource(second);
        first.sink.replaceAll(List.of(peer(PEER, "10.99.0.5/32")));
        second.sink.replaceAll(List.of(peer(OTHER, "10.99.0.6/32"), new PeerConfig(SELF, null, List.of(), 0)));
        assertEquals(2, node.peers().size(), "the node's own key in a source's map is not a peer");
        node.modified(context(), Map.of("listen.port", "0", "mtu", "1380"));
        assertEquals(2, node.peers().size(), "a new data plane gets the sources' peers");
        second.sink.replaceAll(List.of());
        assertEquals(List.of(NodeKey.parse(PEER)), node.peers().stream().map(p -> p.publicKey()).toList());
        first.sink.update(List.of(), List.of(NodeKey.parse(PEER)));
        assertTrue(node.peers().isEmpty());
    }

    @Test
    void aNewAddressAloneIsSetOnTheOpenInterfaceAnythingElseReopensIt() {
        node.activate(context(), Map.of("address", "10.99.0.1/24", "listen.port", "0"));
        node.bindTransport(network.transport("192.0.2.1"), Map.of("transport.name", "udp"));
        node.bindHandshake(PassThroughEngine.SERVICE);
        node.addPeer(peer(PEER, "10.99.0.2/32"));

        node.modified(context(), Map.of("address", "10.98.0.1/16,fd00:98::1/64", "listen.port", "0"));
        assertEquals(1, tuns.size(), "the TUN device was not reopened");
        assertTrue(!tuns.get(0).isClosed());
        List<IpPrefix> wanted = List.of(IpPrefix.parse("10.98.0.1/16"), IpPrefix.parse("fd00:98::1/64"));
        assertEquals(wanted, tuns.get(0).addresses);
        NodeStatus s = node.status();
        assertEquals("up", s.state(), s.detail());
        assertEquals(List.of("10.98.0.1/16", "fd00:98::1/64"), s.addresses().stream().map(IpPrefix::toAddressString).toList());
        assertEquals(1, node.peers().size());

        node.modified(context(), Map.of("address", "10.98.0.1/16,fd00:98::1/64", "listen.port", "0", "mtu", "1380"));
        assertEquals(2, tuns.size(), "another MTU reopens the device");
        assertTrue(tuns.get(0).isClosed());
    }

    /** Measures the path a coordinator's map takes: PeerSink → node lock → one batch, real WireGuard engine. */
    @Test
    void aPushedMapOfTenThousandPeersAndADeltaAfterIt() {
        node.activate(context(), Map.of("listen.port", "0"));
        node.bindHandshake(RealEngine.service());
        TestPeerSource source = new TestPeerSource("coordinator");
        node.bindPeerSource(source);
        List<PeerConfig> map = BulkPeersTest.map(10_000);
        long start = System.nanoTime();
        source.sink.replaceAll(map);
        long full = System.nanoTime() - start;
        PeerConfig changed = new PeerConfig(map.get(7).publicKey(), null, List.of(IpPrefix.parse("10.101.0.7/32")), 25);
        start = System.nanoTime();
        source.sink.update(List.of(changed), List.of(map.get(8).publicKey()));
        long delta = System.nanoTime() - start;
        System.out.printf("node: PeerSink.replaceAll of %d peers took %d ms, a delta after it %.2f ms%n",
                map.size(), full / 1_000_000, delta / 1e6);
        assertEquals(9_999, node.peers().size());
        assertTrue(full < 30_000_000_000L, "linear in the map (O(N²) took minutes): " + full / 1_000_000 + " ms");
    }

    private static PeerConfig peer(String key, String allowed) {
        return new PeerConfig(NodeKey.parse(key), null, List.of(IpPrefix.parse(allowed)), 0);
    }

    private String allowedIpsOf(String key) {
        return node.peers().stream().filter(p -> p.publicKey().equals(NodeKey.parse(key))).findFirst()
                .map(p -> String.join(",", p.allowedIps().stream().map(IpPrefix::toString).toList())).orElse("(absent)");
    }

    private KeySource keySource() {
        return new KeySource() {
            @Override
            public String describe() {
                return "test key";
            }

            @Override
            public NodeIdentity identity() {
                return new NodeIdentity(new StaticKeyPair(RAW, SELF), new byte[0], "SHA256:test", new byte[0]);
            }
        };
    }

    private TunDriver driver() {
        return config -> {
            opened = config;
            MemoryTun tun = new MemoryTun(config.name());
            tuns.add(tun);
            return tun;
        };
    }

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> method.getName().equals("getProperty") ? frameworkProperties.get((String) args[0]) : null);
    }

    private Logger logger() {
        return (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class}, (proxy, method, args) -> {
            if (args != null && args.length == 1 && args[0] instanceof String message) {
                logged.add(method.getName() + ": " + message);
            }
            return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
    }
}
