package io.tunnelmesh.ssh.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Drives the real OpenSSH client tools for tests; skips (with the reason printed) when a tool is missing. */
public final class OpenSshTools {
    private OpenSshTools() {
    }

    /** Skips the calling test, saying why, when {@code tool} is not on the PATH. */
    public static void assumeTool(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                found = true;
                break;
            }
        }
        if (!found) {
            System.out.println("SKIPPED: " + tool + " is not installed (apt-get install openssh-client)");
        }
        assumeTrue(found, tool + " is not installed (apt-get install openssh-client)");
    }

    /** Runs a command (bounded to 60 s); returns stdout; fails with stderr when it exits non-zero. */
    public static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                    + new String(err, StandardCharsets.UTF_8).trim());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    public static String run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), command);
    }

    /** {@code ssh-keygen -t TYPE [-b BITS] -N "" -f DIR/NAME}; returns the private key path. */
    public static Path generate(Path dir, String name, String type, int bits) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f",
                key.toString()));
        if (bits > 0) {
            cmd.add("-b");
            cmd.add(Integer.toString(bits));
        }
        run(cmd.toArray(String[]::new));
        return key;
    }

    /** Copies {@code plain} and protects the copy with {@code ssh-keygen -p -N PASSPHRASE -Z CIPHER}. */
    public static Path encryptedCopy(Path plain, String passphrase, String cipher)
            throws IOException, InterruptedException {
        Path copy = plain.resolveSibling(plain.getFileName() + "_" + cipher.replaceAll("[^a-z0-9-]", "_"));
        Files.copy(plain, copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        run("ssh-keygen", "-q", "-p", "-P", "", "-N", passphrase, "-Z", cipher, "-f", copy.toString());
        return copy;
    }

    /** {@code ssh-keygen -Y sign -n NAMESPACE -f KEY} over {@code message}; returns the armoured SSHSIG text. */
    public static String sshKeygenSign(Map<String, String> env, Path key, String namespace, byte[] message)
            throws IOException, InterruptedException {
        Path data = Files.createTempFile(key.getParent(), "msg", ".bin");
        Files.write(data, message);
        run(env, "ssh-keygen", "-Y", "sign", "-n", namespace, "-f", key.toString(), data.toString());
        Path sig = Path.of(data + ".sig");
        try {
            return Files.readString(sig);
        } finally {
            Files.delete(sig);
            Files.delete(data);
        }
    }
}
