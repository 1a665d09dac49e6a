package io.tunnelmesh.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import sun.misc.Signal;

/** {@code tunnelmesh up}: runs the node in the foreground until Ctrl-C, SIGTERM or {@code stop 0}. */
final class NodeRunner {
    private final Installation installation;
    private final PrintStream out;
    private final PrintStream err;

    NodeRunner(Installation installation, PrintStream out, PrintStream err) {
        this.installation = installation;
        this.out = out;
        this.err = err;
    }

    int run(UpOptions options) throws CliFailure {
        Map<String, String> props = FrameworkProperties.load(installation, options.frameworkProperties());
        Path controlSocket = FrameworkProperties.controlSocket(props);
        if (ControlClient.isNodeRunning(controlSocket)) {
            throw new CliFailure("a node is already running for this installation (" + controlSocket
                    + "); stop it with 'tunnelmesh shell -c \"stop 0\"' or use another installation folder", 1);
        }
        FrameworkLauncher launcher = new FrameworkLauncher(installation, err);
        installStopHandlers(launcher);
        int bundles = launcher.start(props, Set.of());
        boolean socket = FrameworkLauncher.awaitSocket(controlSocket, Duration.ofSeconds(15));
        Duration sinceStart = sinceProcessStart();
        if (socket) {
            out.printf("tunnelmesh: runtime up in %.2f s (%d bundles), control socket %s%n",
                    sinceStart.toMillis() / 1000.0, bundles, controlSocket);
        } else {
            err.println("tunnelmesh: runtime started but the control socket did not appear; "
                    + "'tunnelmesh shell' will not work: check that bundle tm-shell is active (data/log/tunnelmesh.log)");
        }
        if (!hasIdentity()) {
            out.println("tunnelmesh: no identity yet: run 'bin/tunnelmesh init --generate' (or --ssh-key PATH, or --agent) "
                    + "in another terminal; the node comes up as soon as it has one");
        }
        out.flush();
        try {
            launcher.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println("tunnelmesh: stopped");
        return 0;
    }

    /**
     * Since bin/tunnelmesh was exec'd: it passes its start in tm.exec.ms. ProcessHandle's start instant is not
     * used because Linux gives it only to the second (boot time in /proc/stat).
     */
    private static Duration sinceProcessStart() {
        try {
            return Duration.ofMillis(System.currentTimeMillis() - Long.parseLong(System.getProperty("tm.exec.ms", "")));
        } catch (NumberFormatException e) {
            return Duration.ofMillis(System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        }
    }

    /** 'tunnelmesh init' writes config/io.tunnelmesh.identity.file.cfg or …agent.cfg. */
    private boolean hasIdentity() {
        try (var files = java.nio.file.Files.list(installation.config())) {
            return files.anyMatch(f -> f.getFileName().toString().matches("io\\.tunnelmesh\\.identity\\..*\\.cfg"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Ctrl-C and SIGTERM stop the bundles in order and exit 0 (a plain shutdown hook would exit 130/143).
     */
    private void installStopHandlers(FrameworkLauncher launcher) {
        Runnable stop = () -> {
            out.println("tunnelmesh: stopping");
            launcher.stop(20);
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> Thread.ofPlatform().name("tunnelmesh-stop").start(stop));
            } catch (IllegalArgumentException e) {
                // signal not available on this platform: the shutdown hook below still stops the framework
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> launcher.stop(20), "tunnelmesh-shutdown"));
    }
}
