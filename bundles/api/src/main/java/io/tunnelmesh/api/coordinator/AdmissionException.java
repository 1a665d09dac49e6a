package io.tunnelmesh.api.coordinator;

/** A join the store refused; the message is one line an operator can act on. */
public final class AdmissionException extends Exception {
    /** Why, for the wire and for tests. */
    public enum Reason { TOKEN_UNKNOWN, TOKEN_USED, TOKEN_EXPIRED, TOKEN_REVOKED, NODE_REMOVED, NAME_TAKEN, ADDRESSES_EXHAUSTED }

    private final Reason reason;

    public AdmissionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
