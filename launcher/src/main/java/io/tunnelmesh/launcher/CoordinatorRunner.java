package io.tunnelmesh.launcher;

import java.io.PrintStream;

/**
 * {@code tunnelmesh coordinator}: runs a coordinator in the foreground in this installation (its own config/,
 * data/ and control socket), until Ctrl-C, SIGTERM or {@code stop 0}.
 */
final class CoordinatorRunner {
    /** Bundles a coordinator leaves stopped (the data plane and the node's client), listed in config/framework.properties. */
    static final String SKIP_PROPERTY = "tm.coordinator.skip";
    static final String COORDINATOR_BUNDLE = "tm-coordinator";

    private final Installation installation;
    private final PrintStream out;
    private final PrintStream err;

    CoordinatorRunner(Installation installation, PrintStream out, PrintStream err) {
        this.installation = installation;
        this.out = out;
        this.err = err;
    }

    int run(CoordinatorOptions options) throws CliFailure {
        return new ForegroundRuntime(installation, out, err).run("coordinator runtime", SKIP_PROPERTY,
                options.frameworkProperties(), launcher -> {
                    // Without it the runtime would run a shell and nothing else: say so instead of waiting silently.
                    if (!launcher.hasBundle(COORDINATOR_BUNDLE)) {
                        throw new CliFailure("this distribution has no " + COORDINATOR_BUNDLE + " bundle in "
                                + installation.bundles() + ", so it cannot run a coordinator: reinstall the distribution", 1);
                    }
                    return "tunnelmesh: create a join token with: bin/tunnelmesh shell -c 'tm:token-create'";
                });
    }
}
