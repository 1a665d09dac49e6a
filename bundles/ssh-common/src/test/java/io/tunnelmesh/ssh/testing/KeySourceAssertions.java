package io.tunnelmesh.ssh.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.identity.KeySourceException;
import org.junit.jupiter.api.function.Executable;

/** What an operator sees for a failure: one line naming the problem, the right exit code, no exception names. */
public final class KeySourceAssertions {
    private KeySourceAssertions() {
    }

    public static KeySourceException fails(int exitCode, String mustContain, Executable call) {
        KeySourceException e = assertThrows(KeySourceException.class, call);
        assertEquals(exitCode, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains(mustContain), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "no exception names: " + e.getMessage());
        return e;
    }
}
