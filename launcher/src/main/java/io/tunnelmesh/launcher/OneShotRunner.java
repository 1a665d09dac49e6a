package io.tunnelmesh.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Runs one Gogo command in a short-lived runtime when no node is running ({@code init}, {@code pubkey},
 * {@code join}). The runtime listens on a private control socket, so the command takes the same path as against
 * a running node, and the data-plane and coordinator bundles stay stopped so nothing opens a device or a port.
 */
final class OneShotRunner {
    /** Bundles a one-shot runtime leaves stopped, listed in config/framework.properties. */
    static final String SKIP_PROPERTY = "tm.oneshot.skip";

    private final Installation installation;
    private final PrintStream console;

    OneShotRunner(Installation installation, PrintStream console) {
        this.installation = installation;
        this.console = console;
    }

    int run(String command, PrintStream out, PrintStream err) throws CliFailure {
        long pid = ProcessHandle.current().pid();
        var socket = Installation.checkSocketPath(installation.data().resolve("oneshot-" + pid + ".sock"));
        // a private cache, so a one-shot run never disturbs a node starting at the same time
        var cache = installation.data().resolve("cache-oneshot-" + pid);
        Map<String, String> props = FrameworkProperties.load(installation, Map.of(
                "tm.oneshot", "true",
                "tm.control.socket", socket.toString(),
                "org.osgi.framework.storage", cache.toString(),
                "org.osgi.framework.storage.clean", "onFirstInit"));
        Set<String> skip = FrameworkProperties.bundleNames(props, SKIP_PROPERTY);
        FrameworkLauncher launcher = new FrameworkLauncher(installation, console);
        try {
            launcher.start(props, skip);
            if (!FrameworkLauncher.awaitSocket(socket, Duration.ofSeconds(15))) {
                throw new CliFailure("the runtime did not open its control socket: check that bundle tm-shell is active (data/log/tunnelmesh.log)", 1);
            }
            try (ControlClient client = ControlClient.connect(socket)) {
                return client.run(command, out, err);
            }
        } finally {
            launcher.stop(10);
            FrameworkLauncher.deleteTree(cache);
        }
    }
}
