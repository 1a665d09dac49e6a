package io.tunnelmesh.control;

/** Liveness probe after 30 s of silence; answered by a {@link Pong} with the same nonce. */
public record Ping(long nonce) implements ControlMessage {
}
