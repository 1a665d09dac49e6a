package io.tunnelmesh.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tunnelmesh's own job: finding a Java 25 (or saying in one line that there is none), choosing each
 * command's JVM options, and working as the first command of a freshly unpacked distribution.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("../dist/src/bin/tunnelmesh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A fake JDK whose java claims the given version, and prints that it was run and its arguments, one a line. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\n"
                + "case \"$1\" in -version) echo 'openjdk version \"" + version + "\" 2026-01-01' >&2; exit 0;; esac\n"
                + "echo \"ran " + name + "\"\n"
                + "printf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve(name);
    }

    /** A PATH with the script's tools but no java on it. */
    private String pathWithoutJava() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        for (String tool : new String[] {"dirname", "sed"}) {
            for (String d : new String[] {"/usr/bin", "/bin"}) {
                Path real = Path.of(d, tool);
                if (Files.isExecutable(real) && !Files.exists(tools.resolve(tool))) {
                    Files.createSymbolicLink(tools.resolve(tool), real);
                }
            }
        }
        return tools.toString();
    }

    private Result script(Map<String, String> env, String... args) throws Exception {
        return run(SCRIPT, env, args);
    }

    private Result run(Path script, Map<String, String> env, String... args) throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), "bin/tunnelmesh not found at " + SCRIPT);
        var cmd = new java.util.ArrayList<String>();
        cmd.add(script.toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "script did not finish");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {
    }

    @Test
    void anOldJavaHomeIsRefusedInOneLine() throws Exception {
        Path jdk17 = fakeJdk("jdk17", "17.0.15");
        Result r = script(Map.of("JAVA_HOME", jdk17.toString()), "version");
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("needs Java 25") && r.err().contains("Java 17") && r.err().contains("JAVA_HOME"), r.err());
    }

    @Test
    void withoutJavaHomeA25IsFoundInTheJvmFolder() throws Exception {
        fakeJdk("jdk17", "17.0.15");
        fakeJdk("jdk25", "25.0.3");
        Result r = script(Map.of("TM_JVM_DIR", dir.toString(), "PATH", pathWithoutJava()), "version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("ran jdk25"), r.out());
    }

    @Test
    void noJavaAtAllIsExplained() throws Exception {
        Result r = script(Map.of("TM_JVM_DIR", dir.toString(), "PATH", pathWithoutJava()), "version");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("needs Java 25 or newer (found: none)"), r.err());
    }

    /**
     * A freshly unpacked distribution as far as these commands need one: bin/tunnelmesh and lib/tm-launcher.jar
     * (built from this module's classes, with its manifest's main class), no data/.
     */
    private Path freshInstallation() throws IOException {
        Path home = Files.createTempDirectory(dir, "tunnelmesh-fresh-");
        Path script = Files.createDirectories(home.resolve("bin")).resolve("tunnelmesh");
        Files.copy(SCRIPT, script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path classes = Path.of("target/classes").toAbsolutePath();
        assumeTrue(Files.isDirectory(classes.resolve("io/tunnelmesh/launcher")), "launcher classes not built at " + classes);
        var manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, TunnelMeshCli.class.getName());
        Path jar = Files.createDirectories(home.resolve("lib")).resolve("tm-launcher.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest);
                var files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return home;
    }

    @Test
    void versionWorksAsTheFirstCommandOfAFreshInstallation() throws Exception {
        Path home = freshInstallation();
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"));
        Result first = run(home.resolve("bin/tunnelmesh"), env, "version");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().matches("tunnelmesh \\d+\\.\\d+\\.\\d+.*\\R"), first.out());
        assertEquals("", first.err());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("data"))));
        assertTrue(Files.isRegularFile(home.resolve("data/client.jsa")), "the class-data archive was written for the next run");
        Result second = run(home.resolve("bin/tunnelmesh"), env, "version");
        assertEquals(0, second.exit(), second.err());
        assertEquals(first.out(), second.out());
    }

    /** The JVM options the script passes for one command, from a fake java that prints them. */
    private java.util.List<String> jvmOptions(Map<String, String> extraEnv, String... args) throws Exception {
        Path home = freshInstallation();
        var env = new java.util.HashMap<>(extraEnv);
        env.put("JAVA_HOME", fakeJdk("jdk25", "25.0.3").toString());
        Result r = run(home.resolve("bin/tunnelmesh"), env, args);
        assertEquals(0, r.exit(), r.err());
        var lines = r.out().lines().toList();
        int jar = lines.indexOf("-jar");
        assertTrue(jar > 0, r.out());
        return lines.subList(1, jar);
    }

    @Test
    void theCoordinatorRunsWithServerOptionsAndNoClassDataArchive() throws Exception {
        var options = jvmOptions(Map.of(), "coordinator", "--listen", "0.0.0.0:7443");
        assertTrue(options.containsAll(java.util.List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx512m")), options.toString());
        assertTrue(options.stream().noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel")), "C2 stays on: " + options);
        assertTrue(options.stream().noneMatch(o -> o.contains("SharedArchive")),
                "a long run never records classes for an archive (a JDK 25 crash at class unloading): " + options);
        assertTrue(options.stream().anyMatch(o -> o.startsWith("-Dtm.exec.ms=")), "it reports its start time: " + options);
    }

    @Test
    void extraOptionsAreAddedAfterTheDefaultsAndTmJavaOptsReplacesThem() throws Exception {
        var added = jvmOptions(Map.of("TM_JAVA_EXTRA_OPTS", "-Xlog:gc -Dx=y"), "up");
        assertTrue(added.contains("-Xmx128m") && added.contains("-XX:MaxInlineLevel=9"), added.toString());
        assertTrue(added.indexOf("-Xlog:gc") > added.indexOf("-Xmx128m") && added.indexOf("-Dx=y") == added.indexOf("-Xlog:gc") + 1,
                "appended after the defaults, so they win: " + added);
        assertTrue(added.contains("-XX:-TieredCompilation"), "the node runs C2 only: " + added);
        assertTrue(added.stream().noneMatch(o -> o.contains("SharedArchive")), added.toString());

        var replaced = jvmOptions(Map.of("TM_JAVA_OPTS", "-Xmx64m", "TM_JAVA_EXTRA_OPTS", "-Dx=y"), "coordinator");
        assertTrue(replaced.contains("-Xmx64m") && !replaced.contains("-Xmx512m"), replaced.toString());
        assertTrue(replaced.indexOf("-Dx=y") > replaced.indexOf("-Xmx64m"), replaced.toString());
    }

    @Test
    void theNodesOptionsCompileThePacketPathEarlyAndTheRealJvmTakesThemSilently() throws Exception {
        var options = jvmOptions(Map.of(), "up");
        var scaled = options.stream().filter(o -> o.startsWith("-XX:CompileCommand=CompileThresholdScaling,")).toList();
        assertEquals(java.util.List.of("-XX:CompileCommand=CompileThresholdScaling,io.tunnelmesh.*::*,0.25",
                "-XX:CompileCommand=CompileThresholdScaling,io.netty.*::*,0.25"), scaled, options.toString());
        assertTrue(options.indexOf("-XX:CompileCommand=quiet") >= 0
                && options.indexOf("-XX:CompileCommand=quiet") < options.indexOf(scaled.get(0)),
                "quiet first, or the JVM prints each command on the node's console: " + options);

        // The real JVM of this build: a misspelt option would stop the node or print on its console.
        var jvmArgs = new java.util.ArrayList<>(options.stream().filter(o -> o.startsWith("-XX:") || o.startsWith("-Xm")).toList());
        jvmArgs.add("-version");
        Result r = run(Path.of(System.getProperty("java.home"), "bin", "java"), Map.of(), jvmArgs.toArray(String[]::new));
        assertEquals(0, r.exit(), jvmArgs + "\n" + r.err());
        assertEquals("", r.out(), "the JVM printed on standard output: " + jvmArgs);
        assertTrue(r.err().lines().allMatch(l -> l.contains("version") || l.contains("Runtime Environment") || l.contains("VM")),
                "the JVM said more than its version: " + r.err());
    }

    @Test
    void clientCommandsStartFastAndIgnoreTheRuntimesOptions() throws Exception {
        var options = jvmOptions(Map.of("TM_JAVA_EXTRA_OPTS", "-Dx=y"), "join", "tm1_abc");
        assertTrue(options.contains("-XX:TieredStopAtLevel=1") && !options.contains("-Dx=y"), options.toString());
        assertTrue(options.stream().anyMatch(o -> o.endsWith("/data/client.jsa")), options.toString());
    }
}
