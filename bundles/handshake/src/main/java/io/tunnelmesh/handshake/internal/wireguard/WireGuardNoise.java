package io.tunnelmesh.handshake.internal.wireguard;

import io.tunnelmesh.handshake.internal.noise.CipherState;
import io.tunnelmesh.handshake.internal.noise.NoiseException;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.noise.NoiseProtocol;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * WireGuard's handshake as the generic Noise {@code IKpsk2} with WireGuard's choices: prologue = the WireGuard
 * identifier, message-1 payload = a TAI64N timestamp, message-2 payload empty; the Noise messages sit inside
 * the WireGuard framing (index fields before, mac1/mac2 after).
 */
public final class WireGuardNoise {
    public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";
    public static final NoiseProtocol PROTOCOL = NoiseProtocol.parse(CONSTRUCTION);
    public static final byte[] IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(StandardCharsets.US_ASCII);

    private WireGuardNoise() {
    }

    /** A local static key pair as raw bytes. */
    public record LocalStatic(byte[] privateKey, byte[] publicKey) {
    }

    public static NoiseHandshakeState initiator(LocalStatic local, byte[] remoteStatic, byte[] psk, byte[] precomputedStaticStatic,
                                                Supplier<byte[]> ephemerals) {
        NoiseHandshakeState state = new NoiseHandshakeState(PROTOCOL, true, IDENTIFIER, local.privateKey(), local.publicKey(),
                remoteStatic, List.of(psk), ephemerals);
        state.setPrecomputedStaticStatic(precomputedStaticStatic);
        return state;
    }

    public static NoiseHandshakeState responder(LocalStatic local, byte[] psk, Supplier<byte[]> ephemerals) {
        return new NoiseHandshakeState(PROTOCOL, false, IDENTIFIER, local.privateKey(), local.publicKey(), null, List.of(psk), ephemerals);
    }

    /** The 148-byte initiation, macs still zero. */
    public static byte[] writeInitiation(NoiseHandshakeState state, int senderIndex, byte[] timestamp) throws NoiseException {
        return HandshakeInitiation.assemble(senderIndex, state.writeMessage(timestamp));
    }

    /** Reads the Noise part of an initiation (length already checked). @return the decrypted timestamp */
    public static byte[] readInitiation(NoiseHandshakeState state, byte[] message) throws NoiseException {
        byte[] timestamp = state.readMessage(message, HandshakeInitiation.NOISE, HandshakeInitiation.NOISE_LENGTH);
        if (timestamp.length != Tai64n.LENGTH) {
            throw new NoiseException("initiation payload is not a TAI64N timestamp");
        }
        return timestamp;
    }

    /** The 92-byte response, macs still zero. */
    public static byte[] writeResponse(NoiseHandshakeState state, int senderIndex, int receiverIndex) throws NoiseException {
        return HandshakeResponse.assemble(senderIndex, receiverIndex, state.writeMessage(new byte[0]));
    }

    public static void readResponse(NoiseHandshakeState state, byte[] message) throws NoiseException {
        byte[] payload = state.readMessage(message, HandshakeResponse.NOISE, HandshakeResponse.NOISE_LENGTH);
        if (payload.length != 0) {
            throw new NoiseException("response payload must be empty");
        }
    }

    /** Transport keys: the initiator sends with the first, the responder with the second. Wipes the handshake. */
    public static SessionKeys split(NoiseHandshakeState state, boolean initiator) throws NoiseException {
        CipherState[] pair = state.split();
        byte[] first = pair[0].key();
        byte[] second = pair[1].key();
        pair[0].wipe();
        pair[1].wipe();
        return initiator ? new SessionKeys(first, second) : new SessionKeys(second, first);
    }
}
