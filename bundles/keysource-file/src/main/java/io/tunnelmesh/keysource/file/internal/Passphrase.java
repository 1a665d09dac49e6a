package io.tunnelmesh.keysource.file.internal;

import io.tunnelmesh.api.identity.KeySourceException;
import io.tunnelmesh.ssh.internal.ExitCodes;
import java.io.Console;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a key file's passphrase comes from: an environment variable (for services) or a prompt on the terminal.
 * Never a command-line argument, which other users can read in the process list.
 */
final class Passphrase {
    private final String envName;
    private final Function<String, String> environment;
    private final Supplier<Console> console;

    /**
     * @param envName     variable holding the passphrase
     * @param environment {@code System::getenv} in production; a map lookup in tests
     * @param console     {@code System::console} in production
     */
    Passphrase(String envName, Function<String, String> environment, Supplier<Console> console) {
        this.envName = envName;
        this.environment = environment;
        this.console = console;
    }

    /** The passphrase as UTF-8 bytes, which the caller wipes. */
    byte[] obtain(String keyFile) throws KeySourceException {
        String fromEnv = environment.apply(envName);
        if (fromEnv != null) {
            return fromEnv.getBytes(StandardCharsets.UTF_8); // a String cannot be wiped; the env holds it anyway
        }
        Console c = console.get();
        if (c == null || !c.isTerminal()) { // JDK 22+ may return a Console for redirected streams
            throw new KeySourceException("key file " + keyFile + " is passphrase-protected: set the environment"
                    + " variable " + envName + " or run on a terminal to be asked", ExitCodes.NO_PERMISSION);
        }
        char[] typed = c.readPassword("Passphrase for %s: ", keyFile);
        if (typed == null) {
            throw new KeySourceException("no passphrase entered for key file " + keyFile, ExitCodes.NO_PERMISSION);
        }
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(typed, '\0');
        Arrays.fill(encoded.array(), (byte) 0);
        return bytes;
    }

    String envName() {
        return envName;
    }
}
