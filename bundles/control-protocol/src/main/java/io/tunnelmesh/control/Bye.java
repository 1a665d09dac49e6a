package io.tunnelmesh.control;

/** Coordinator → a removed node, just before the connection closes. */
public record Bye(String reason) implements ControlMessage {
}
