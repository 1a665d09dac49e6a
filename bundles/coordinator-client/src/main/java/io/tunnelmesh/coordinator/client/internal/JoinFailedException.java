package io.tunnelmesh.coordinator.client.internal;

/** {@code tm:join} did not admit the node; the message is the one line the operator sees (exit code 1). */
final class JoinFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    JoinFailedException(String message) {
        super(message);
    }
}
