package io.tunnelmesh.launcher;

/** The command line itself is wrong: print the message and the usage, exit 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
