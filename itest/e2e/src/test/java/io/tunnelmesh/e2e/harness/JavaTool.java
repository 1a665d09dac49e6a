package io.tunnelmesh.e2e.harness;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs one of the small tool mains (io.tunnelmesh.e2e.tools) in its own JVM, so it can be started
 * inside a namespace: a namespace belongs to a process, not to a thread of this one.
 */
public final class JavaTool {
    private JavaTool() {
    }

    public static List<String> command(Class<?> main, String... args) {
        return command(main, List.of(), args);
    }

    /** As {@link #command(Class, String...)}, with the jars or folders of {@code libraries} on the class path too. */
    public static List<String> command(Class<?> main, List<Class<?>> libraries, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> entries = new ArrayList<>();
        entries.add(location(main));
        for (Class<?> library : libraries) {
            entries.add(location(library));
        }
        String classpath = String.join(File.pathSeparator, entries);
        // C1 only: these tools are short-lived and start faster without the full JIT.
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", classpath,
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
