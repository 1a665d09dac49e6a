package io.tunnelmesh.control;

import java.nio.charset.StandardCharsets;

/**
 * The relay link's wire format (docs/COORDINATOR.md, "Relay"): preamble {@code TMR1} on the control port, a Noise IK
 * handshake with {@link #PROLOGUE} carried in {@link #HANDSHAKE} frames, then frames of
 * {@code length (4 bytes, big-endian, payload bytes) | type (1 byte) | key (32 bytes) | payload}. In {@link #DATA}
 * from a node the key names the recipient; from the server it names the sender, which the server stamps itself.
 * There is no encryption after the handshake: payloads are WireGuard ciphertext already.
 */
public final class RelayFrames {
    public static final byte[] PREAMBLE = {'T', 'M', 'R', '1'};
    public static final byte[] PROLOGUE = "TunnelMesh/J relay v1".getBytes(StandardCharsets.US_ASCII);
    public static final int KEY_LENGTH = 32;
    public static final int LENGTH_FIELD = 4;
    /** Bytes before the payload. */
    public static final int HEADER = LENGTH_FIELD + 1 + KEY_LENGTH;
    /** Offset of the key in a frame. */
    public static final int KEY_OFFSET = LENGTH_FIELD + 1;
    /** The largest payload either side sends; a longer announced length closes the link. */
    public static final int MAX_PAYLOAD = 65535;

    /** Noise message 1 (node) and 2 (server); message 2's payload is empty when the node is admitted, else why not. */
    public static final byte HANDSHAKE = 1;
    /** A WireGuard datagram. */
    public static final byte DATA = 2;
    /** Asks for a {@link #PONG} with the same payload (at most 8 bytes): how a node notices a dead link. */
    public static final byte PING = 3;
    public static final byte PONG = 4;

    private RelayFrames() {
    }
}
