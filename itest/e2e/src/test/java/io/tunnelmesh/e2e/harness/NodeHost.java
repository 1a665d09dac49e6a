package io.tunnelmesh.e2e.harness;

import java.nio.file.Path;

/**
 * A namespace running one TunnelMesh/J installation: its underlay address on the wire, its mesh address on the TUN,
 * its own SSH-derived identity.
 */
public final class NodeHost {
    public static final int PORT = 51820;

    private final NetworkNamespace ns;
    private final String underlayAddress;
    private final String meshAddress;
    private final String iface;
    private final TunnelMeshInstall node;
    private final String publicKey;

    private NodeHost(NetworkNamespace ns, String underlayAddress, String meshAddress, TunnelMeshInstall node) {
        this.ns = ns;
        this.underlayAddress = underlayAddress;
        this.meshAddress = meshAddress;
        this.iface = UniqueNames.iface("tm");
        this.node = node;
        this.publicKey = node.publicKey();
    }

    /** Unpacks a copy of the distribution and gives it a fresh ssh-keygen identity; not started yet. */
    public static NodeHost prepare(Testbed bed, Path tarball, String name, NetworkNamespace ns,
            String underlayAddress, String meshAddress) {
        TunnelMeshInstall node = TunnelMeshInstall.unpack(bed, tarball, name);
        node.initWithNewSshKey();
        return new NodeHost(ns, underlayAddress, meshAddress, node);
    }

    /** {@code tunnelmesh up} in this host's namespace, mesh address in a /24 (IPv4) or /64 (IPv6); waits until up. */
    public NodeHost up(Path psk) throws InterruptedException {
        node.up(ns, iface, meshCidr(), PORT, psk);
        return this;
    }

    public StartedProcess startUpWithoutWaiting(Path psk) {
        return node.startUp(ns, iface, meshCidr(), PORT, psk);
    }

    /** {@code tm:peer-add} of {@code other}, with its real endpoint and its mesh address as allowed IP. */
    public void addPeer(NodeHost other) {
        node.addPeer(other.publicKey, other.endpoint(), other.allowedIp());
    }

    /** This host's mesh address as a single-address prefix (/32 or /128). */
    public String allowedIp() {
        return meshAddress + (isIpv6(meshAddress) ? "/128" : "/32");
    }

    private String meshCidr() {
        return meshAddress + (isIpv6(meshAddress) ? "/64" : "/24");
    }

    private static boolean isIpv6(String address) {
        return address.contains(":");
    }

    public void addPeer(String publicKey, String endpoint, String allowedIps) {
        node.addPeer(publicKey, endpoint, allowedIps);
    }

    public String endpoint() {
        return (isIpv6(underlayAddress) ? "[" + underlayAddress + "]" : underlayAddress) + ":" + PORT;
    }

    public NetworkNamespace ns() {
        return ns;
    }

    public String meshAddress() {
        return meshAddress;
    }

    public String underlayAddress() {
        return underlayAddress;
    }

    public String iface() {
        return iface;
    }

    public String publicKey() {
        return publicKey;
    }

    public TunnelMeshInstall node() {
        return node;
    }

    /** {@code tm:peers} then {@code tm:status}, for assertions and failure messages. */
    public String peersAndStatus() {
        return "--- " + node.name() + " tm:peers ---\n" + node.tryShell("tm:peers").stdout() + "--- " + node.name()
                + " tm:status ---\n" + node.tryShell("tm:status").stdout() + node.daemonTail();
    }
}
