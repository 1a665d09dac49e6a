package io.tunnelmesh.control;

/** The answer to a {@link Ping}, echoing its nonce. */
public record Pong(long nonce) implements ControlMessage {
}
