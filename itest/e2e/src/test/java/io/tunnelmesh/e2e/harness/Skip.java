package io.tunnelmesh.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a test with a reason that is both printed and reported, never silently: these tests need root, real tools and
 * a built distribution, and a reader of the build log must see which one was missing.
 */
public final class Skip {
    private Skip() {
    }

    public static void unless(boolean condition, String reason) {
        if (!condition) {
            System.out.println("[e2e] SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }

    /** Root plus every named tool on the PATH. */
    public static void unlessRootWithTools(String... tools) {
        unless("root".equals(System.getProperty("user.name")) || isUidZero(),
                "needs root for network namespaces and TUN devices (running as " + System.getProperty("user.name") + ")");
        for (String tool : tools) {
            unless(onPath(tool), "needs '" + tool + "' on the PATH (Debian: apt-get install -y --no-install-recommends "
                    + "iproute2 iputils-ping wireguard-go wireguard-tools iperf3 openssh-client)");
        }
        unless(Files.exists(Path.of("/dev/net/tun")), "needs /dev/net/tun");
    }

    /** One more tool, naming the Debian package that has it. */
    public static void unlessTool(String tool, String debianPackage) {
        unless(onPath(tool), "needs '" + tool + "' on the PATH (Debian: apt-get install -y --no-install-recommends "
                + debianPackage + ")");
    }

    /** What every test with TunnelMesh/J nodes needs: root, iproute2, ping, wg (for PSKs), ssh-keygen, tar. */
    public static void unlessNodeTestHost() {
        unlessRootWithTools("ip", "ping", "wg", "ssh-keygen", "tar");
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUidZero() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
