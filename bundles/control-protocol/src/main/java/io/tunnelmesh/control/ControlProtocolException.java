package io.tunnelmesh.control;

/**
 * The peer broke the control protocol (bad preamble, forged frame, malformed message or handshake). The message
 * is one line meant for a log or the operator. No stack trace: hostile input is an expected outcome, not a bug.
 */
public final class ControlProtocolException extends Exception {
    public ControlProtocolException(String oneLineMessage) {
        super(oneLineMessage, null, false, false);
    }
}
