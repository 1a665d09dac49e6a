package io.tunnelmesh.node.internal;

import io.tunnelmesh.api.EndpointSpec;
import io.tunnelmesh.api.IpPrefix;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PeerConfig;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.support.testing.RecordingLog;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** One node under test: a {@link DataPlane} on an in-memory TUN device and an in-memory network. */
final class TestNode implements AutoCloseable {
    /** Service ids as a framework hands them out: each offer a new, higher one. */
    private static final AtomicLong SERVICE_IDS = new AtomicLong(100);

    final String meshAddress;
    final MemoryTun tun;
    final DataPlane plane;
    final NodeKey key;
    /** Where the node is reached on {@code network}: its {@code mem:HOST:PORT}. */
    final MemoryNetwork.MemoryEndpoint underlay;
    final MemoryNetwork.MemoryTransport transport;
    final RecordingLog log = new RecordingLog();

    TestNode(MemoryNetwork network, String host, int port, String meshAddress, StaticKeyPair identity, PresharedKey psk,
            HandshakeService handshake) {
        this(network, host, port, meshAddress, identity, psk, handshake, NodeConfig.DECRYPT_THREAD_DEFAULT);
    }

    /** @param decryptThread the node's {@code decrypt.thread} setting */
    TestNode(MemoryNetwork network, String host, int port, String meshAddress, StaticKeyPair identity, PresharedKey psk,
            HandshakeService handshake, boolean decryptThread) {
        this.meshAddress = meshAddress;
        this.key = identity.publicKey();
        this.tun = new MemoryTun("tm-" + host);
        this.underlay = network.endpoint(host, port);
        NodeSettings settings = new NodeSettings(tun.name(), List.of(IpPrefix.parse(meshAddress + "/24")), port, 1420, null,
                decryptThread);
        this.plane = new DataPlane(settings, new EngineOptions(identity, psk, InstantSource.system()), tun, log);
        this.transport = network.transport(host);
        plane.start();
        offer(transport, 0);
        plane.useHandshakeService(handshake);
    }

    /** A node with a random (non-X25519) identity, for the pass-through routing tests. */
    static TestNode fake(MemoryNetwork network, String host, int port, String meshAddress) {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return new TestNode(network, host, port, meshAddress, new StaticKeyPair(raw, NodeKey.of(raw)), PresharedKey.none(),
                PassThroughEngine.SERVICE);
    }

    /** Offers a transport service as DS would, with {@code service.ranking} and a fresh {@code service.id}. */
    void offer(Transport t, int ranking) {
        plane.offerTransport(new TransportBindings.Offer(t, t.name(), ranking, SERVICE_IDS.incrementAndGet()));
    }

    /** Makes two nodes peers of each other, each reachable at its underlay address. */
    static void introduce(TestNode x, TestNode y) {
        x.knows(y);
        y.knows(x);
    }

    /** Configures {@code other} as a peer reachable at its underlay address, owning its mesh address. */
    void knows(TestNode other, String... extraAllowed) {
        plane.putPeer(peerConfig(other, List.of(other.spec()), extraAllowed));
    }

    /** Same, with the given endpoint candidates (e.g. {@code mem:…,udp:…}). */
    void knowsAt(TestNode other, String endpoints) {
        plane.putPeer(peerConfig(other, EndpointSpec.parseList(endpoints)));
    }

    /** Same, but without an endpoint: the peer has to contact us first. */
    void knowsWithoutEndpoint(TestNode other) {
        plane.putPeer(peerConfig(other, List.of()));
    }

    /** The configured text of this node's underlay endpoint. */
    EndpointSpec spec() {
        return EndpointSpec.parse(underlay.toString());
    }

    static PeerConfig peerConfig(TestNode other, List<EndpointSpec> endpoints, String... extraAllowed) {
        List<IpPrefix> allowed = new ArrayList<>();
        allowed.add(IpPrefix.parse(other.meshAddress + "/32"));
        Arrays.stream(extraAllowed).map(IpPrefix::parse).forEach(allowed::add);
        return new PeerConfig(other.key, endpoints, allowed, 0);
    }

    /** Sends a packet from this node's mesh address into its TUN device. */
    byte[] sendTo(String destination, String payload) {
        byte[] p = Packets.ipv4(meshAddress, destination, payload.getBytes());
        tun.inject(p);
        return p;
    }

    @Override
    public void close() {
        plane.close();
    }
}
