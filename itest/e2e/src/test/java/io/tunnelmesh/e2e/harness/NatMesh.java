package io.tunnelmesh.e2e.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A mesh over a {@link NatLab}: the coordinator on the internet, node "alpha" on the host behind router A and
 * "bravo" on the host behind router B, each joined with a one-time token and started with plain {@code up}, as an
 * operator at home would. Reads what {@code bin/tunnelmesh peers} says about the path between them.
 */
public final class NatMesh {
    public static final String MESH_CIDR = "100.64.0.0/16";

    private final NatLab lab;
    private final CoordinatorHost coordinator;
    private final MeshMember alpha;
    private final MeshMember bravo;
    /** Each node's public key, read once: {@code tunnelmesh pubkey} is a JVM start, too slow to poll with. */
    private final String alphaKey;
    private final String bravoKey;

    private NatMesh(NatLab lab, CoordinatorHost coordinator, MeshMember alpha, MeshMember bravo) {
        this.lab = lab;
        this.coordinator = coordinator;
        this.alpha = alpha;
        this.bravo = bravo;
        this.alphaKey = alpha.node().publicKey();
        this.bravoKey = bravo.node().publicKey();
    }

    /** Starts the coordinator while both nodes are unpacked and initialised, then joins and starts both at once. */
    public static NatMesh start(Testbed bed, NatLab lab, Path tarball) throws InterruptedException {
        long start = System.nanoTime();
        List<Object> prepared = Concurrently.<Object>all(
                () -> CoordinatorHost.prepare(bed, tarball, lab.internet(), NatLab.COORDINATOR_ADDRESS, MESH_CIDR).start(),
                () -> initialised(bed, tarball, "alpha"),
                () -> initialised(bed, tarball, "bravo"));
        CoordinatorHost coordinator = (CoordinatorHost) prepared.get(0);
        String alphaToken = coordinator.createToken("--name alpha");
        String bravoToken = coordinator.createToken("--name bravo");
        List<MeshMember> members = Concurrently.all(
                () -> join((TunnelMeshInstall) prepared.get(1), coordinator, lab.a(), alphaToken),
                () -> join((TunnelMeshInstall) prepared.get(2), coordinator, lab.b(), bravoToken));
        System.out.printf("[e2e] %s: coordinator and both nodes up in %d ms%n", bed.workDir().getFileName(),
                (System.nanoTime() - start) / 1_000_000);
        return new NatMesh(lab, coordinator, members.get(0), members.get(1));
    }

    private static TunnelMeshInstall initialised(Testbed bed, Path tarball, String name) {
        TunnelMeshInstall node = TunnelMeshInstall.unpack(bed, tarball, name);
        node.initWithNewSshKey();
        return node;
    }

    private static MeshMember join(TunnelMeshInstall node, CoordinatorHost coordinator, HomeRouter home, String token)
            throws InterruptedException {
        String name = node.name();
        ProcessResult join = node.join(home.host(), token, name);
        if (!join.succeeded()) {
            throw new AssertionError(name + " could not join from behind router " + home.name() + ":\n"
                    + join.describe() + "\n" + coordinator.diagnostics());
        }
        MeshMember member = MeshMember.fromJoinOutput(name, home.host(), node, join.stdout(), MESH_CIDR);
        node.upAsMember(home.host());
        return member;
    }

    public CoordinatorHost coordinator() {
        return coordinator;
    }

    /** The node behind router A. */
    public MeshMember alpha() {
        return alpha;
    }

    /** The node behind router B. */
    public MeshMember bravo() {
        return bravo;
    }

    public MeshMember other(MeshMember m) {
        return m == alpha ? bravo : alpha;
    }

    /** {@code bin/tunnelmesh peers} on {@code on}: the block of its peer (the other node). */
    public String peerBlock(MeshMember on) {
        ProcessResult peers = on.node().cli("peers");
        return String.join("\n", OperatorOutput.peerBlock(peers.stdout() + peers.stderr(),
                on == alpha ? bravoKey : alphaKey));
    }

    /** The value of {@code label:} in {@code on}'s peer block (e.g. "path", "why relayed"), or "" when absent. */
    public String peerLine(MeshMember on, String label) {
        return peerBlock(on).lines().map(String::strip).filter(l -> l.startsWith(label + ":"))
                .map(l -> l.substring(label.length() + 1).strip()).findFirst().orElse("");
    }

    /**
     * Polls {@code on}'s {@code peers} until its path line matches {@code path}; returns the line, or fails with
     * both nodes' views and the lab's counters after {@code timeout}.
     */
    public String awaitPath(MeshMember on, Pattern path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String line = peerLine(on, "path");
        while (!path.matcher(line).matches() && System.nanoTime() < deadline) {
            Thread.sleep(250);
            line = peerLine(on, "path");
        }
        if (!path.matcher(line).matches()) {
            throw new AssertionError(on.name() + "'s 'tunnelmesh peers' did not say 'path: " + path + "' within "
                    + timeout.toSeconds() + " s; it says 'path: " + line + "'\n" + diagnostics());
        }
        return line;
    }

    /**
     * Waits until each node is up (its {@code status} says {@code state: up}: a transport is bound) and its
     * {@code peers} lists the other (the coordinator's map arrived); fails after {@code timeout}. On a loaded machine
     * the map can arrive before the transports are bound, and a test timing a fresh peer's first reply starts here.
     */
    public void awaitPeersKnown(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (MeshMember m : List.of(alpha, bravo)) {
            while (!isUp(m) || peerBlock(m).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(m.name() + " is not up, or its 'tunnelmesh peers' does not list "
                            + other(m).name() + ", within " + timeout.toSeconds() + " s\n" + diagnostics());
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean isUp(MeshMember m) {
        return m.node().cli("status").stdout().lines().anyMatch(l -> l.strip().equals("state: up"));
    }

    /** {@code bin/tunnelmesh ping PEER -c COUNT} on {@code from} towards the other node, by name. */
    public ProcessResult tunnelmeshPing(MeshMember from, int count) {
        return from.node().cli("ping", other(from).name(), "-c", Integer.toString(count));
    }

    /** Both nodes' views, the coordinator's and the lab's counters, for failure messages. */
    public String diagnostics() {
        return alpha.diagnostics() + "\n" + bravo.diagnostics() + "\n" + coordinator.diagnostics() + "\n"
                + lab.diagnostics();
    }
}
