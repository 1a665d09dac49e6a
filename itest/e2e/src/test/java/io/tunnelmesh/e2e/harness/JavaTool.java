package io.tunnelmesh.e2e.harness;

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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath;
        try {
            classpath = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        // C1 only: these tools are short-lived and start faster without the full JIT.
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", classpath,
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
