package io.tunnelmesh.launcher;

import java.io.PrintStream;

/** {@code tunnelmesh up}: runs the node in the foreground until Ctrl-C, SIGTERM or {@code stop 0}. */
final class NodeRunner {
    /** Bundles a node leaves stopped (the coordinator's), listed in config/framework.properties. */
    static final String SKIP_PROPERTY = "tm.node.skip";

    private final Installation installation;
    private final PrintStream out;
    private final PrintStream err;

    NodeRunner(Installation installation, PrintStream out, PrintStream err) {
        this.installation = installation;
        this.out = out;
        this.err = err;
    }

    int run(UpOptions options) throws CliFailure {
        return new ForegroundRuntime(installation, out, err).run("runtime", SKIP_PROPERTY, options.frameworkProperties(),
                launcher -> hasIdentity() ? null
                        : "tunnelmesh: no identity yet: run 'bin/tunnelmesh init --generate' (or --ssh-key PATH, or --agent) "
                                + "in another terminal; the node comes up as soon as it has one");
    }

    /** 'tunnelmesh init' writes config/io.tunnelmesh.identity.file.cfg or …agent.cfg. */
    private boolean hasIdentity() {
        try (var files = java.nio.file.Files.list(installation.config())) {
            return files.anyMatch(f -> f.getFileName().toString().matches("io\\.tunnelmesh\\.identity\\..*\\.cfg"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
