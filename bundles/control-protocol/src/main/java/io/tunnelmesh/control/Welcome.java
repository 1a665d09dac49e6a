package io.tunnelmesh.control;

/** Coordinator → node, inside Noise message 2: admission (error null) or refusal (error and errorCode set). */
public record Welcome(String error, String errorCode, NodeEntry self, String meshPsk, String ipv4Cidr, String ipv6Prefix) implements ControlMessage {
}
