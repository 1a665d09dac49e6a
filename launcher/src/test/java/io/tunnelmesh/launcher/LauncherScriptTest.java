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

/** bin/tunnelmesh's own job: finding a Java 25, or saying in one line that there is none. */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("../dist/src/bin/tunnelmesh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A fake JDK whose java claims the given version, and records that it was run. */
    private Path fakeJdk(String name, String version) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\n"
                + "case \"$1\" in -version) echo 'openjdk version \"" + version + "\" 2026-01-01' >&2; exit 0;; esac\n"
                + "echo \"ran " + name + "\"\n");
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
        assumeTrue(Files.isExecutable(SCRIPT), "bin/tunnelmesh not found at " + SCRIPT);
        var cmd = new java.util.ArrayList<String>();
        cmd.add(SCRIPT.toString());
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
}
