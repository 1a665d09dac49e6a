package io.tunnelmesh.e2e.harness;

import java.nio.file.Path;

/**
 * A TunnelMesh/J node (192.168.77.1, mesh 10.77.0.1) and a stock wireguard-go peer (192.168.77.2, mesh 10.77.0.2)
 * on one wire, each configured with the other's public key and the mesh PSK, as an operator would with
 * {@code tunnelmesh pubkey}, {@code tm:peer-add} and {@code wg set}. No packet sent yet.
 */
public record NodeAndWireGuardGo(NodeHost node, WireGuardGoPeer wg, String wgMeshAddress, Path psk) {
    private static final String WG_UNDERLAY = "192.168.77.2";

    public static NodeAndWireGuardGo start(Testbed bed) throws InterruptedException {
        Path tarball = Distribution.requireNodeDistribution(bed.runner());
        NetworkNamespace[] hosts = bed.wiredPair();
        Path psk = bed.newPresharedKey("mesh");
        NodeHost node = NodeHost.prepare(bed, tarball, "a", hosts[0], "192.168.77.1", "10.77.0.1").up(psk);
        String wgMesh = "10.77.0.2";
        WireGuardGoPeer wg = WireGuardGoPeer.start(bed, hosts[1], wgMesh + "/24", NodeHost.PORT);
        NodeAndWireGuardGo pair = new NodeAndWireGuardGo(node, wg, wgMesh, psk);
        pair.wgLearnsNode();
        pair.nodeLearnsWg();
        return pair;
    }

    public NetworkNamespace wgNamespace() {
        return wg.namespace();
    }

    /** {@code wg set … peer NODE preshared-key … endpoint … allowed-ips …} */
    public void wgLearnsNode() {
        wg.addPeer(node.publicKey(), psk, node.endpoint(), node.allowedIp());
    }

    /** {@code tm:peer-add WG --endpoint … --allowed-ips …} */
    public void nodeLearnsWg() {
        node.addPeer(wg.publicKey(), WG_UNDERLAY + ":" + NodeHost.PORT, wgMeshAddress + "/32");
    }

    public String diagnostics() {
        return wg.show() + node.peersAndStatus();
    }
}
