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
        for (String bundle : DATA_PLANE_BUNDLES) {
            if (entries.stream().noneMatch(e -> e.contains("/bundle/" + bundle) && e.endsWith(".jar"))) {
                missing.add("bundle/" + bundle + "*.jar");
            }
        }
        Skip.unless(missing.isEmpty(), "distribution " + tarball.getFileName() + " cannot run a node yet, missing: "
                + String.join(", ", missing));
        NodeReadiness.require(tarball);
        return tarball;
    }
}
