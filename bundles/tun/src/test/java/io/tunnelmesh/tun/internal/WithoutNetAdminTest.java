package io.tunnelmesh.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What an operator without CAP_NET_ADMIN sees: a child JVM started with an empty capability bounding set
 * (setpriv), inside a namespace of the test's own, tries to open a TUN.
 */
class WithoutNetAdminTest {
    @Test
    void missingCapabilityIsOneClearLine() throws Exception {
        TestNamespace.assumeRootWithTun();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "skipped: setpriv (util-linux) is missing");
        try (TestNamespace namespace = new TestNamespace()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String output = TestNamespace.run("ip", "netns", "exec", namespace.name, "/usr/bin/setpriv",
                    "--bounding-set", "-all", java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), OpenTunMain.class.getName(), "tmnocap0");
            assertEquals("IOException: cannot create interface tmnocap0: permission denied: run as root or grant"
                    + " CAP_NET_ADMIN", output.strip());
        }
    }
}
