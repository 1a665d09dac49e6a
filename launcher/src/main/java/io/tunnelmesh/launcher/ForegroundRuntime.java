package io.tunnelmesh.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import sun.misc.Signal;

/**
 * A runtime that stays in the foreground until Ctrl-C, SIGTERM or {@code stop 0}: what {@code up} and
 * {@code coordinator} share. Each names its bundles to leave stopped and what to check once it is up.
 */
final class ForegroundRuntime {
    /** What one kind of runtime checks once its control socket is open. */
    @FunctionalInterface
    interface Started {
        /** @return a line for the operator after the "up" line, or null; throws to stop the runtime again */
        String check(FrameworkLauncher launcher) throws CliFailure;
    }

    private final Installation installation;
    private final PrintStream out;
    private final PrintStream err;

    ForegroundRuntime(Installation installation, PrintStream out, PrintStream err) {
        this.installation = installation;
        this.out = out;
        this.err = err;
    }

    /**
     * @param label         how the "up" line names the runtime ("runtime", "coordinator runtime")
     * @param skipProperty  the framework property listing the bundles this runtime leaves stopped
     * @param overrides     framework properties from the command line
     */
    int run(String label, String skipProperty, Map<String, String> overrides, Started started) throws CliFailure {
        Map<String, String> props = FrameworkProperties.load(installation, overrides);
        Path controlSocket = FrameworkProperties.controlSocket(props);
        if (ControlClient.isNodeRunning(controlSocket)) {
            throw new CliFailure("a node or coordinator is already running for this installation (" + controlSocket
                    + "); stop it with 'tunnelmesh shell -c \"stop 0\"' or use another installation folder", 1);
        }
        FrameworkLauncher launcher = new FrameworkLauncher(installation, err);
        installStopHandlers(launcher);
        int bundles = launcher.start(props, FrameworkProperties.bundleNames(props, skipProperty));
        boolean socket = FrameworkLauncher.awaitSocket(controlSocket, Duration.ofSeconds(15));
        String hint;
        try {
            hint = started.check(launcher);
        } catch (CliFailure e) {
            launcher.stop(20);
            throw e;
        }
        Duration sinceStart = sinceProcessStart();
        if (socket) {
            out.printf("tunnelmesh: %s up in %.2f s (%d bundles), control socket %s%n",
                    label, sinceStart.toMillis() / 1000.0, bundles, controlSocket);
        } else {
            err.println("tunnelmesh: " + label + " started but the control socket did not appear; "
                    + "'tunnelmesh shell' will not work: check that bundle tm-shell is active (data/log/tunnelmesh.log)");
        }
        if (hint != null) {
            out.println(hint);
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
