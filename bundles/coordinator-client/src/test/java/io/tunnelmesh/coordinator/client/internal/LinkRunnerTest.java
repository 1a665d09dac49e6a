package io.tunnelmesh.coordinator.client.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.HostPort;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.identity.NodeIdentity;
import io.tunnelmesh.api.transport.EndpointDiscovery;
import io.tunnelmesh.control.Bye;
import io.tunnelmesh.control.ControlCodec;
import io.tunnelmesh.control.EndpointsReport;
import io.tunnelmesh.control.Hello;
import io.tunnelmesh.control.NodeEntry;
import io.tunnelmesh.control.PeerDelta;
import io.tunnelmesh.control.PeerMap;
import io.tunnelmesh.control.Ping;
import io.tunnelmesh.control.Pong;
import io.tunnelmesh.support.testing.RecordingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The long-lived link against a real coordinator socket on 127.0.0.1, with short timings (backoff base 20 ms). */
class LinkRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final LinkTimings FAST = new LinkTimings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(50),
            Duration.ofMillis(300), Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(20), Duration.ofMillis(100),
            Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(100));

    @TempDir
    Path data;
    private TestCoordinator coordinator;
    private final NodeIdentity identity = TestKeys.identity();
    private final NodeEntry a = entry("alpha", 10, List.of("not-an-endpoint", "192.0.2.10:51820", "[2001:db8::10]:51820"));
    private final NodeEntry b = entry("beta", 11, List.of());
    private final AtomicReference<EndpointsReport> local = new AtomicReference<>(new EndpointsReport(51820, List.of("192.0.2.1:51820")));
    private final RecordingLog log = new RecordingLog();
    /** The udp transport's STUN client as the link finds it: none unless a test puts one in. */
    private final AtomicReference<EndpointDiscovery> discovery = new AtomicReference<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        coordinator = new TestCoordinator();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : started.reversed()) {
            c.close();
        }
        coordinator.close();
    }

    private static NodeEntry entry(String name, int n, List<String> endpoints) {
        return new NodeEntry(TestKeys.keyPair().publicKey().toBase64(), name, "100.64.0." + n, "fd00:64::" + Integer.toHexString(n),
                endpoints, "SHA256:x", true);
    }

    private NodeEntry self() {
        return new NodeEntry(identity.publicKey().toBase64(), "laptop", "100.64.0.7", "fd00:64::7", List.of(), null, true);
    }

    /**
     * A started link to the test coordinator and {@code sink} subscribed to its hub after the start, as DS registers
     * the peer source once the component is activated; both closed after the test.
     */
    /** The candidate through the coordinator's relay. */
    private String relay(NodeEntry peer) {
        return "relay:" + peer.publicKey() + "@" + coordinator.address();
    }

    private LinkRunner link(RecordingSink sink, LinkTimings timings) {
        PeerHub hub = new PeerHub(log);
        started.add(hub);
        PeerCache cache = new PeerCache(cacheFile(), new ControlCodec(), InstantSource.system(), timings.cacheInterval(), log);
        LinkSettings settings = new LinkSettings(coordinator.publicKey(), 
                List.of(HostPort.parse(coordinator.address(), "coordinator address", 7443)), "laptop");
        ReflexiveEndpoints reflexive = new ReflexiveEndpoints(discovery::get, StunServers.DEFAULT, Duration.ofMillis(200), log);
        LinkRunner runner = new LinkRunner(settings, TestKeys.source(identity), prefixes -> local.get(), reflexive, hub, cache,
                timings, InstantSource.system(), new Random(1), log);
        started.add(runner);
        runner.start();
        hub.subscribe(sink);
        return runner;
    }

    private Path cacheFile() {
        return data.resolve("coordinator-peers.json");
    }

    private static NodeKey key(NodeEntry e) {
        return NodeKey.parse(e.publicKey());
    }

    @Test
    void theMapThenADeltaReachTheSinkAsPeers() throws Exception {
        coordinator.afterWelcome = List.of(new PeerMap(List.of(a, b, self())));
        RecordingSink sink = new RecordingSink();
        LinkRunner runner = link(sink, FAST);

        List<PeerConfig> peers = sink.nextReplaceOf(2, WAIT).peers();
        assertEquals(List.of(key(a), key(b)), peers.stream().map(PeerConfig::publicKey).toList()); // not ourselves
        PeerConfig alpha = peers.getFirst();
        assertEquals(EndpointSpec.parseList("192.0.2.10:51820,[2001:db8::10]:51820," + relay(a)), alpha.endpoints(),
                "the direct candidates, then the coordinator's relay");
        assertEquals(List.of(IpPrefix.parse("100.64.0.10/32"), IpPrefix.parse("fd00:64::a/128")), alpha.allowedIps());
        assertEquals(25, alpha.persistentKeepaliveSeconds());
        assertEquals(EndpointSpec.parseList(relay(b)), peers.get(1).endpoints(), "without direct candidates: the relay alone");

        Hello hello = coordinator.hellos.poll();
        assertEquals(Hello.CONNECT, hello.mode());
        assertNull(hello.tokenId());
        assertNull(hello.tokenSecret());
        assertEquals("laptop", hello.name());
        assertEquals(List.of("192.0.2.1:51820"), hello.endpoints());

        TestCoordinator.Session session = coordinator.nextSession(WAIT);
        assertEquals(identity.publicKey(), session.node);
        NodeEntry c = entry("gamma", 12, List.of("192.0.2.12:51820"));
        session.send(new PeerDelta(List.of(c), List.of(a.publicKey())));
        RecordingSink.Update update = sink.next(RecordingSink.Update.class, WAIT);
        assertEquals(List.of(key(c)), update.upserts().stream().map(PeerConfig::publicKey).toList());
        assertEquals(List.of(key(a)), update.removed());

        LinkStatus status = runner.status();
        assertEquals("connected", status.state());
        assertEquals(coordinator.address(), status.address());
        assertEquals(2, status.peers());
        assertTrue(status.text(java.time.Instant.now()).contains("state: connected\ncoordinator: " + coordinator.address()));
    }

    @Test
    void theLinkReconnectsAfterTheCoordinatorDropsTheConnection() throws Exception {
        coordinator.afterWelcome = List.of(new PeerMap(List.of(a)));
        RecordingSink sink = new RecordingSink();
        link(sink, FAST);
        sink.nextReplaceOf(1, WAIT);

        coordinator.nextSession(WAIT).drop();
        coordinator.afterWelcome = List.of(new PeerMap(List.of(a, b)));

        coordinator.nextSession(WAIT);
        assertEquals(2, coordinator.hellos.size());
        assertEquals(2, sink.nextReplaceOf(2, WAIT).peers().size());
    }

    @Test
    void aNodeStartedWhileTheCoordinatorIsDownGetsTheCachedMapAtOnce() throws Exception {
        coordinator.afterWelcome = List.of(new PeerMap(List.of(a, b)));
        LinkRunner first = link(new RecordingSink(), FAST);
        waitFor(() -> Files.exists(cacheFile()), "the cache file");
        first.close();
        coordinator.close();

        RecordingSink sink = new RecordingSink();
        LinkRunner second = link(sink, FAST);

        List<PeerConfig> cached = sink.next(RecordingSink.Replace.class, Duration.ofSeconds(1)).peers();
        assertEquals(List.of(key(a), key(b)), cached.stream().map(PeerConfig::publicKey).toList());
        assertEquals(EndpointSpec.parseList("192.0.2.10:51820,[2001:db8::10]:51820," + relay(a)), cached.getFirst().endpoints());
        waitFor(() -> second.status().attempts() > 0, "a failed attempt");
        assertEquals("connecting", second.status().state());
        assertTrue(second.status().detail().startsWith("coordinator unreachable at " + coordinator.address()), second.status().detail());
    }

    @Test
    void aCorruptCacheIsOneLogLineAndNoPeers() throws Exception {
        Files.writeString(cacheFile(), "{\"type\":\"map\",\"peers\":[{\"publicKey\":");
        RecordingSink sink = new RecordingSink();
        link(sink, FAST);

        assertEquals(List.of(), sink.next(RecordingSink.Replace.class, WAIT).peers());
        assertTrue(log.has("WARN the cached peer map " + cacheFile() + " is corrupt"), log.toString());
    }

    @Test
    void byeClearsThePeersAndTheCacheAndStopsReconnecting() throws Exception {
        coordinator.afterWelcome = List.of(new PeerMap(List.of(a, b)));
        RecordingSink sink = new RecordingSink();
        LinkRunner runner = link(sink, FAST);
        sink.nextReplaceOf(2, WAIT);
        waitFor(() -> Files.exists(cacheFile()), "the cache file");

        coordinator.nextSession(WAIT).send(new Bye("removed by the operator"));

        assertEquals(List.of(), sink.next(RecordingSink.Replace.class, WAIT).peers());
        waitFor(() -> runner.status().state().equals("removed"), "state removed");
        assertFalse(Files.exists(cacheFile()));
        assertTrue(log.has("removed from the mesh by coordinator at " + coordinator.address() + " (removed by the operator)"));
        Thread.sleep(300); // many backoff periods: no new connection may come
        assertEquals(1, coordinator.hellos.size());
        assertEquals(0, runner.status().peers());
    }

    @Test
    void notAMemberEmptiesTheMapAndWaitsLong() throws Exception {
        coordinator.welcomes = hello -> TestCoordinator.refusal("this key is not a member of the mesh", "NOT_A_MEMBER");
        RecordingSink sink = new RecordingSink();
        LinkRunner runner = link(sink, FAST);

        waitFor(() -> runner.status().state().equals("not a member"), "state not a member");
        assertEquals(List.of(), sink.next(RecordingSink.Replace.class, WAIT).peers());
        assertTrue(log.has("says this node is not a member (NOT_A_MEMBER)"), log.toString());
        Thread.sleep(300);
        assertEquals(1, coordinator.hellos.size());
    }

    @Test
    void pingsAreAnsweredAndASilentCoordinatorIsPinged() throws Exception {
        RecordingSink sink = new RecordingSink();
        link(sink, FAST);
        TestCoordinator.Session session = coordinator.nextSession(WAIT);

        session.send(new Ping(42));
        assertEquals(42, session.next(Pong.class, WAIT).nonce());
        session.next(Ping.class, WAIT); // 300 ms of silence in FAST
    }

    @Test
    void changedEndpointsAreReported() throws Exception {
        link(new RecordingSink(), FAST);
        TestCoordinator.Session session = coordinator.nextSession(WAIT);

        local.set(new EndpointsReport(51820, List.of("192.0.2.1:51820", "198.51.100.4:51820")));

        EndpointsReport report = session.next(EndpointsReport.class, WAIT);
        assertEquals(List.of("192.0.2.1:51820", "198.51.100.4:51820"), report.endpoints());
    }

    /** Answers as the udp transport would when a STUN server saw its socket behind a NAT; records what it was asked. */
    private static final class NattedDiscovery implements EndpointDiscovery {
        final java.util.concurrent.BlockingQueue<List<String>> asked = new java.util.concurrent.LinkedBlockingQueue<>();
        volatile List<String> seen;

        NattedDiscovery(List<String> seen) {
            this.seen = seen;
        }

        @Override
        public String transport() {
            return "udp";
        }

        @Override
        public CompletableFuture<List<String>> discover(List<String> servers, Duration timeout) {
            asked.add(servers);
            return CompletableFuture.completedFuture(seen);
        }
    }

    @Test
    void theReflexiveEndpointIsReportedFirstAndFollowsTheNat() throws Exception {
        NattedDiscovery nat = new NattedDiscovery(List.of("udp:203.0.113.10:54346"));
        discovery.set(nat);
        link(new RecordingSink(), FAST);
        TestCoordinator.Session session = coordinator.nextSession(WAIT);

        EndpointsReport report = session.next(EndpointsReport.class, WAIT);
        assertEquals(List.of("203.0.113.10:54346", "192.0.2.1:51820"), report.endpoints());
        assertEquals(51820, report.listenPort());
        HostPort coordinatorAddress = HostPort.parse(coordinator.address(), "coordinator address", 7443);
        assertEquals(List.of(coordinatorAddress.host() + ":3478"), nat.asked.poll(5, TimeUnit.SECONDS),
                "the coordinator's STUN port on the host the link is connected to");

        nat.seen = List.of("udp:203.0.113.10:61000"); // the NAT gave the socket a new mapping
        assertEquals(List.of("203.0.113.10:61000", "192.0.2.1:51820"), session.next(EndpointsReport.class, WAIT).endpoints());
    }

    @Test
    void withoutDiscoveryOnlyLocalEndpointsAreReported() throws Exception {
        link(new RecordingSink(), FAST);
        TestCoordinator.Session session = coordinator.nextSession(WAIT);
        local.set(new EndpointsReport(51820, List.of("192.0.2.1:51820", "198.51.100.4:51820")));
        assertEquals(List.of("192.0.2.1:51820", "198.51.100.4:51820"), session.next(EndpointsReport.class, WAIT).endpoints());
    }

    @Test
    void aSilentCoordinatorIsDroppedAfterTheSilenceLimit() throws Exception {
        LinkTimings shortSilence = new LinkTimings(FAST.connectTimeout(), FAST.handshakeTimeout(), FAST.tick(), FAST.pingAfter(),
                Duration.ofMillis(600), FAST.endpointCheck(), FAST.backoffBase(), FAST.backoffMax(), FAST.stableSession(),
                FAST.notMemberRetry(), FAST.cacheInterval(), FAST.backoffFloor());
        link(new RecordingSink(), shortSilence);
        coordinator.nextSession(WAIT); // the test coordinator never answers pings

        coordinator.nextSession(WAIT);
        assertTrue(log.has("no word from coordinator at " + coordinator.address()), log.toString());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
