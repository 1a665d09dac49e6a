package io.tunnelmesh.handshake.internal.noise;

/**
 * A handshake message that cannot be accepted (bad authentication, wrong length, low-order key). Carries no
 * stack trace: it is an expected outcome for hostile input, and filling one in would cost more than the check.
 */
public final class NoiseException extends Exception {
    public NoiseException(String message) {
        super(message, null, false, false);
    }
}
