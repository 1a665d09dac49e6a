package io.tunnelmesh.e2e.harness;

import java.nio.file.Path;
import java.util.List;

/** The common two-host mesh: A at 192.168.77.1 / 10.77.0.1 and B at .2 on one veth, same mesh PSK. */
public record NodePair(NodeHost a, NodeHost b, Path psk) {

    /** Both nodes unpacked with their own identity, not started; skips when there is no runnable distribution. */
    public static NodePair prepare(Testbed bed) throws InterruptedException {
        return prepare(bed, "192.168.77.1", "192.168.77.2", "10.77.0.1", "10.77.0.2");
    }

    /** The same with other addresses, e.g. IPv6 ones; the wire gets a /24 or /64. */
    public static NodePair prepare(Testbed bed, String underlayA, String underlayB, String meshA, String meshB)
            throws InterruptedException {
        Path tarball = Distribution.requireNodeDistribution(bed.runner());
        String prefix = underlayA.contains(":") ? "/64" : "/24";
        NetworkNamespace nsA = bed.host();
        NetworkNamespace nsB = bed.host();
        bed.wire(nsA, underlayA + prefix, nsB, underlayB + prefix);
        List<NodeHost> nodes = Concurrently.all(
                () -> NodeHost.prepare(bed, tarball, "a", nsA, underlayA, meshA),
                () -> NodeHost.prepare(bed, tarball, "b", nsB, underlayB, meshB));
        return new NodePair(nodes.get(0), nodes.get(1), bed.newPresharedKey("mesh"));
    }

    /** Both nodes up and peered with each other through tm:peer-add; no packet sent yet. */
    public static NodePair startPeered(Testbed bed) throws InterruptedException {
        return startPeered(prepare(bed));
    }

    /** {@code pair} up and peered through tm:peer-add; no packet sent yet. */
    public static NodePair startPeered(NodePair pair) throws InterruptedException {
        Concurrently.all(() -> pair.a.up(pair.psk), () -> pair.b.up(pair.psk));
        pair.a.addPeer(pair.b);
        pair.b.addPeer(pair.a);
        return pair;
    }

    public String diagnostics() {
        return a.peersAndStatus() + "\n" + b.peersAndStatus();
    }
}
