package io.tunnelmesh.api.identity;

/**
 * A key source could not produce an identity. The message is one line an operator can act on: what is wrong
 * and what to do (e.g. "key file ~/.ssh/id_ed25519 is readable by others: run chmod 600 ~/.ssh/id_ed25519").
 */
public class KeySourceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Process exit code a command-line tool should use for this failure. */
    private final int exitCode;

    public KeySourceException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public KeySourceException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
