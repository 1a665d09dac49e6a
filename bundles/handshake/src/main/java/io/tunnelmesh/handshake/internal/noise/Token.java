package io.tunnelmesh.handshake.internal.noise;

/** The tokens of a Noise message pattern (spec §7). */
public enum Token {
    E, S, EE, ES, SE, SS, PSK
}
