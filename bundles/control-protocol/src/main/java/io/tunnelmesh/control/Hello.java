package io.tunnelmesh.control;

import java.util.List;

/** Node → coordinator, inside Noise message 1: who the node is and how it asks to be admitted. */
public record Hello(int version, String mode, String tokenId, String tokenSecret, String name, String hostname,
        String sshPublicKey, String sshFingerprint, String binding, int listenPort, List<String> endpoints) implements ControlMessage {
    public static final String JOIN = "join", CONNECT = "connect";

    public Hello {
        endpoints = Lists.orEmpty(endpoints, "endpoints");
    }
}
