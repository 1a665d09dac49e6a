package io.tunnelmesh.coordinator.internal;

/** A hello the coordinator answers with an error welcome: the code goes on the wire, the message to the node. */
final class Refusal extends Exception {
    static final String NOT_A_MEMBER = "NOT_A_MEMBER";
    static final String NOT_ADMITTED = "NOT_ADMITTED";
    static final String BAD_HELLO = "BAD_HELLO";
    static final String UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION";
    static final String INTERNAL = "INTERNAL";

    private final String code;

    Refusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
