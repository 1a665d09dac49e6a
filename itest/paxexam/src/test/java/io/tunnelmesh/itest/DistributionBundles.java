package io.tunnelmesh.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.ops4j.pax.exam.Option;

/** The bundle set of the built distribution ({@code dist/target/…/bundle}), as Pax Exam provisioning options. */
final class DistributionBundles {
    private DistributionBundles() {
    }

    static List<Option> options() {
        Path dir = Path.of(System.getProperty("tm.dist.bundles", "../../dist/target/bundle"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no distribution at " + dir + ": build it first (mvn install -pl dist -am)");
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            ds.forEach(jars::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        jars.sort(null);
        List<Option> options = new ArrayList<>();
        for (Path jar : jars) {
            var option = bundle(jar.toUri().toString());
            options.add(isFragment(jar) ? option.noStart() : option);
        }
        return options;
    }

    private static boolean isFragment(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            return f.getManifest() != null && f.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            return false;
        }
    }
}
