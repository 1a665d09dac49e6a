package io.tunnelmesh.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** Starts Apache Felix with the installation's bundles, and stops it in order. */
final class FrameworkLauncher {
    static final String NETTY_JFR = "io.netty.jfr.enabled";

    private final Installation installation;
    private final PrintStream console;
    private Framework framework;

    FrameworkLauncher(Installation installation, PrintStream console) {
        this.installation = installation;
        this.console = console;
    }

    /**
     * Starts the framework and every bundle in {@code bundle/}, except the ones named in {@code skip}.
     *
     * @return the number of bundles installed
     */
    int start(Map<String, String> properties, Set<String> skip) throws CliFailure {
        prepareDirectories();
        // Netty, JNA and sqlite-jdbc unpack native libraries; keep them inside the installation, not in a shared
        // /tmp that may be mounted noexec.
        Path nativeDir = installation.data().resolve("native");
        System.setProperty("io.netty.native.workdir", nativeDir.toString());
        System.setProperty("jna.tmpdir", nativeDir.toString());
        System.setProperty("org.sqlite.tmpdir", nativeDir.toString());
        System.setProperty("org.jline.terminal.dumb", "true");
        // Netty's JFR hook starts the Flight Recorder's metadata (about 140 classes, a thread, 2 MiB) in every
        // runtime, for buffer events nobody records; -Dio.netty.jfr.enabled=true in TM_JAVA_EXTRA_OPTS brings it back.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new CliFailure("no OSGi framework on the class path: lib/org.apache.felix.framework.jar is missing; reinstall", 1));
        framework = factory.newFramework(properties);
        List<Bundle> installed = new ArrayList<>();
        try {
            framework.init();
            for (Path jar : bundleJars()) {
                try {
                    // reference: installs the jar in place instead of copying it into the cache: faster start.
                    installed.add(framework.getBundleContext().installBundle("reference:" + jar.toUri()));
                } catch (BundleException e) {
                    console.println("tunnelmesh: cannot install " + jar.getFileName() + ": " + e.getMessage());
                }
            }
            framework.start();
        } catch (BundleException e) {
            throw new CliFailure("the OSGi framework did not start: " + e.getMessage(), 1);
        }
        for (Bundle b : installed) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (fragment || skip.contains(b.getSymbolicName())) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException e) {
                console.println("tunnelmesh: bundle " + b.getSymbolicName() + " did not start: " + oneLine(e));
            }
        }
        return installed.size();
    }

    private void prepareDirectories() throws CliFailure {
        try {
            Files.createDirectories(installation.data());
            Files.setPosixFilePermissions(installation.data(), PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(installation.data().resolve("native"));
            Files.createDirectories(installation.deploy());
        } catch (IOException | UnsupportedOperationException e) {
            throw new CliFailure("cannot prepare " + installation.data() + ": " + e.getMessage()
                    + "; check that the installation folder is writable by this user", 1);
        }
    }

    private List<Path> bundleJars() throws CliFailure {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(installation.bundles(), "*.jar")) {
            ds.forEach(jars::add);
        } catch (IOException e) {
            throw new CliFailure("no bundles at " + installation.bundles() + ": run from an unpacked distribution or set -Dtm.home", 1);
        }
        jars.sort(null);
        return jars;
    }

    /** Whether a bundle with this symbolic name is installed (started or not). */
    boolean hasBundle(String symbolicName) {
        Framework fw = framework;
        return fw != null && fw.getBundleContext() != null
                && Arrays.stream(fw.getBundleContext().getBundles()).anyMatch(b -> symbolicName.equals(b.getSymbolicName()));
    }

    /** Stops every bundle (reverse start order) and the framework; waits up to {@code seconds}. */
    void stop(int seconds) {
        Framework fw = framework;
        if (fw == null) {
            return;
        }
        try {
            fw.stop();
            fw.waitForStop(seconds * 1000L);
        } catch (BundleException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until the framework has stopped (by {@link #stop}, a signal, or {@code stop 0} in the shell). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Waits until a control socket file exists (the shell bundle's ControlSocket is up). */
    static boolean awaitSocket(Path socket, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return Files.exists(socket);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover cache folder is harmless; the next one-shot run uses its own
        }
    }

    static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return Arrays.stream(m.split("\\R")).findFirst().orElse(m);
    }
}
