package io.tunnelmesh.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A namespace running {@code bin/tunnelmesh coordinator} from its own installation, driven through its shell
 * commands as an operator would: tokens, the node list, removal, and its config/authorized_keys.
 */
public final class CoordinatorHost {
    public static final int PORT = 7443;

    private final NetworkNamespace ns;
    private final TunnelMeshInstall install;
    private final String listen;
    private final String meshCidr;

    private CoordinatorHost(NetworkNamespace ns, TunnelMeshInstall install, String listen, String meshCidr) {
        this.ns = ns;
        this.install = install;
        this.listen = listen;
        this.meshCidr = meshCidr;
    }

    /** Unpacks a copy of the distribution for {@code ns}, whose LAN address is {@code address}; not started yet. */
    public static CoordinatorHost prepare(Testbed bed, Path tarball, NetworkNamespace ns, String address,
            String meshCidr) {
        return new CoordinatorHost(ns, TunnelMeshInstall.unpack(bed, tarball, "coordinator"), address + ":" + PORT,
                meshCidr);
    }

    /** {@code coordinator --listen ADDRESS:7443 --mesh-cidr CIDR}; waits until its shell answers. */
    public CoordinatorHost start() throws InterruptedException {
        install.startCoordinator(ns, listen, meshCidr);
        return this;
    }

    /** {@code kill -9} of the coordinator's process. */
    public void kill() throws InterruptedException {
        install.killDaemon();
    }

    public boolean isRunning() {
        return install.daemon() != null && install.daemon().isAlive();
    }

    /** {@code tm:token-create OPTIONS}; returns the token from its last line. */
    public String createToken(String options) {
        return JoinTokens.fromLastLine(install.shell(("tm:token-create " + options).strip()));
    }

    public String nodes() {
        return install.shell("tm:nodes");
    }

    public ProcessResult removeNode(String nameOrKey) {
        return install.tryShell("tm:node-remove " + nameOrKey);
    }

    /** Adds one line to config/authorized_keys, which the coordinator re-reads while it runs. */
    public void authorize(String sshPublicKeyLine) {
        try {
            Files.writeString(install.home().resolve("config/authorized_keys"), sshPublicKeyLine + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TunnelMeshInstall install() {
        return install;
    }

    public String meshCidr() {
        return meshCidr;
    }

    public String diagnostics() {
        return "--- coordinator tm:nodes ---\n" + install.tryShell("tm:nodes").stdout()
                + "--- coordinator tm:coordinator ---\n" + install.tryShell("tm:coordinator").stdout()
                + install.daemonTail();
    }
}
