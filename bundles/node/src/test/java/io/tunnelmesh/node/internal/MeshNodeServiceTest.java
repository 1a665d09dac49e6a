package io.tunnelmesh.node.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.api.node.NodeStatus;
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

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private TunConfig opened;
    private final MemoryNetwork network = new MemoryNetwork();
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
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("info: tunnelmesh up: interface=tm0 address=10.99.0.1/24 listen-port=")), logged.toString());
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
            return new MemoryTun(config.name());
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
