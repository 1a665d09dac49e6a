package io.tunnelmesh.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tarball under test ({@code -Dtm.dist}, set by the pom to dist/target). Tests that need a node skip, saying
 * exactly what is missing, while the distribution is not built or does not yet carry the data-plane bundles.
 */
public final class Distribution {
    /** Bundles a node needs to pass packets; each is looked for as {@code bundle/<name>*.jar}. */
    private static final List<String> DATA_PLANE_BUNDLES = List.of("tm-node", "tm-tun", "tm-transport-udp",
            "tm-handshake", "tm-cipher", "tm-keysource-file", "tm-shell");

    /** What a coordinator and a node's coordinator client add (issue 12). */
    private static final List<String> COORDINATOR_BUNDLES = List.of("tm-coordinator", "tm-coordinator-store-sqlite",
            "tm-coordinator-client");

    private Distribution() {
    }

    public static Path tarball() {
        return Path.of(System.getProperty("tm.dist", "../../dist/target/tunnelmesh-0.1.0-SNAPSHOT.tar.gz"))
                .toAbsolutePath().normalize();
    }

    /**
     * Skips (printed and reported) unless the tarball exists, holds bin/tunnelmesh and every data-plane bundle, and
     * can start a node at all (see {@link NodeReadiness}).
     */
    public static Path requireNodeDistribution(ProcessRunner runner) {
        Path tarball = tarball();
        Skip.unless(Files.isRegularFile(tarball), "distribution " + tarball + " is not built; build it with "
                + "'mvn -B install' (or 'mvn -B -pl dist -am install') before these tests");
        ProcessResult listing = runner.run(Duration.ofSeconds(30), "tar", "tzf", tarball.toString());
        Skip.unless(listing.succeeded(), "cannot list " + tarball + ": " + listing.stderr().strip());
        List<String> entries = listing.stdout().lines().toList();
        List<String> missing = new ArrayList<>();
        if (entries.stream().noneMatch(e -> e.endsWith("/bin/tunnelmesh"))) {
            missing.add("bin/tunnelmesh");
        }
        missing.addAll(missingBundles(entries, DATA_PLANE_BUNDLES));
        Skip.unless(missing.isEmpty(), "distribution " + tarball.getFileName() + " cannot run a node yet, missing: "
                + String.join(", ", missing));
        NodeReadiness.require(tarball);
        return tarball;
    }

    /** {@link #requireNodeDistribution}, and the coordinator's bundles are in it too. */
    public static Path requireMeshDistribution(ProcessRunner runner) {
        Path tarball = requireNodeDistribution(runner);
        List<String> entries = runner.run(Duration.ofSeconds(30), "tar", "tzf", tarball.toString()).stdout().lines()
                .toList();
        List<String> missing = missingBundles(entries, COORDINATOR_BUNDLES);
        Skip.unless(missing.isEmpty(), "distribution " + tarball.getFileName() + " cannot run a coordinator yet, "
                + "missing: " + String.join(", ", missing) + " (rebuild it: mvn -B install -DskipTests)");
        return tarball;
    }

    private static List<String> missingBundles(List<String> entries, List<String> bundles) {
        List<String> missing = new ArrayList<>();
        for (String bundle : bundles) {
            // the version follows the name, so tm-coordinator-client.jar does not count as tm-coordinator
            if (entries.stream().noneMatch(e -> e.matches(".*/bundle/" + bundle + "-\\d.*\\.jar"))) {
                missing.add("bundle/" + bundle + "*.jar");
            }
        }
        return missing;
    }
}
