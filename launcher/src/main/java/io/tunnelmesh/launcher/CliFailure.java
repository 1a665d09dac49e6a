package io.tunnelmesh.launcher;

/** A failure the operator can act on: one line on stderr and an exit code, never a stack trace. */
final class CliFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
