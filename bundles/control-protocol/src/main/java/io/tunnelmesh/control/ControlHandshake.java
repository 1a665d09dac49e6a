package io.tunnelmesh.control;

import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.handshake.internal.noise.CipherState;
import io.tunnelmesh.handshake.internal.noise.NoiseCipher;
import io.tunnelmesh.handshake.internal.noise.NoiseException;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.noise.NoiseProtocol;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Noise_IK_25519_ChaChaPoly_BLAKE2s with prologue "TunnelMesh/J control v1". The node (initiator) knows the
 * coordinator's key from its join token; the coordinator learns and authenticates the node's key from message 1.
 * Each side has proved its static key once message 2 is read.
 */
public final class ControlHandshake {
    public static final String PROTOCOL = "Noise_IK_25519_ChaChaPoly_BLAKE2s";
    static final byte[] PROLOGUE = "TunnelMesh/J control v1".getBytes(StandardCharsets.US_ASCII);
    private static final int DH_LEN = 32;
    /** e, encrypted s and the payload tag of message 1; message 2 is e and the payload tag. */
    static final int MAX_HELLO = ControlFrames.MAX_FRAME - DH_LEN - (DH_LEN + NoiseCipher.TAG_LENGTH) - NoiseCipher.TAG_LENGTH;
    static final int MAX_WELCOME = ControlFrames.MAX_FRAME - DH_LEN - NoiseCipher.TAG_LENGTH;

    private ControlHandshake() {
    }

    /** Node side: message 1 carrying helloPayload. */
    public static Initiation initiate(StaticKeyPair node, NodeKey coordinator, byte[] helloPayload) throws ControlProtocolException {
        return initiate(PROLOGUE, node, coordinator, helloPayload);
    }

    /** Node side with another prologue, so a handshake for one channel (e.g. the relay's) cannot pass for another's. */
    public static Initiation initiate(byte[] prologue, StaticKeyPair node, NodeKey coordinator, byte[] helloPayload)
            throws ControlProtocolException {
        if (helloPayload.length > MAX_HELLO) {
            throw new ControlProtocolException("hello of " + helloPayload.length + " bytes does not fit the first handshake message (at most " + MAX_HELLO + ")");
        }
        byte[] privateKey = node.privateKey();
        NoiseHandshakeState state = newState(prologue, true, privateKey, node.publicKey().toBytes(), coordinator.toBytes());
        try {
            byte[] message = state.writeMessage(helloPayload);
            return new NodeInitiation(state, privateKey, message);
        } catch (NoiseException e) {
            wipe(state, privateKey);
            throw new ControlProtocolException("control handshake with coordinator " + coordinator.shortForm() + ": " + e.getMessage());
        }
    }

    /** Coordinator side: reads message 1 (authenticates the initiator's static key). */
    public static Acceptance accept(StaticKeyPair coordinator, byte[] message1) throws ControlProtocolException {
        return accept(PROLOGUE, coordinator, message1);
    }

    /** Coordinator side with the prologue of {@link #initiate(byte[], StaticKeyPair, NodeKey, byte[])}. */
    public static Acceptance accept(byte[] prologue, StaticKeyPair coordinator, byte[] message1) throws ControlProtocolException {
        byte[] privateKey = coordinator.privateKey();
        NoiseHandshakeState state = newState(prologue, false, privateKey, coordinator.publicKey().toBytes(), null);
        try {
            byte[] payload = state.readMessage(message1, 0, message1.length);
            return new CoordinatorAcceptance(state, privateKey, NodeKey.of(state.remoteStatic()), payload);
        } catch (NoiseException e) {
            wipe(state, privateKey);
            throw new ControlProtocolException("control handshake refused: " + e.getMessage()
                    + " (the node's token names another coordinator key, or the message is garbled)");
        }
    }

    private static NoiseHandshakeState newState(byte[] prologue, boolean initiator, byte[] privateKey, byte[] publicKey, byte[] remoteStatic) {
        NoiseProtocol protocol = NoiseProtocol.parse(PROTOCOL);
        SecureRandom random = new SecureRandom();
        return new NoiseHandshakeState(protocol, initiator, prologue, privateKey, publicKey, remoteStatic, List.of(),
                () -> protocol.dh().generatePrivateKey(random));
    }

    private static void wipe(NoiseHandshakeState state, byte[] privateKey) {
        state.wipe();
        Arrays.fill(privateKey, (byte) 0);
    }

    public interface Initiation {
        byte[] message();

        /** Reads message 2: proves the coordinator holds its key. */
        Established finish(byte[] message2) throws ControlProtocolException;
    }

    public interface Established {
        ControlSession session();

        byte[] payload();
    }

    public interface Acceptance {
        NodeKey initiator();

        byte[] payload();

        /** Writes message 2 carrying welcomePayload and splits the session. */
        Reply reply(byte[] welcomePayload) throws ControlProtocolException;
    }

    public interface Reply {
        byte[] message();

        ControlSession session();
    }

    private record EstablishedSession(ControlSession session, byte[] payload) implements Established {
    }

    private record SentReply(byte[] message, ControlSession session) implements Reply {
    }

    /** Single use: the handshake state is wiped by finish, whatever its outcome. */
    private static final class NodeInitiation implements Initiation {
        private final NoiseHandshakeState state;
        private final byte[] privateKey;
        private final byte[] message;
        private boolean used;

        NodeInitiation(NoiseHandshakeState state, byte[] privateKey, byte[] message) {
            this.state = state;
            this.privateKey = privateKey;
            this.message = message;
        }

        @Override
        public byte[] message() {
            return message.clone();
        }

        @Override
        public synchronized Established finish(byte[] message2) throws ControlProtocolException {
            if (used) {
                throw new IllegalStateException("this control handshake was already finished");
            }
            used = true;
            try {
                byte[] payload = state.readMessage(message2, 0, message2.length);
                CipherState[] pair = state.split();
                return new EstablishedSession(new ControlSession(pair[0], pair[1]), payload);
            } catch (NoiseException e) {
                throw new ControlProtocolException("the coordinator did not prove its key (" + e.getMessage()
                        + "): the token's coordinator key is wrong, or something in between is not the coordinator");
            } finally {
                wipe(state, privateKey);
            }
        }
    }

    /** Single use: the handshake state is wiped by reply. */
    private static final class CoordinatorAcceptance implements Acceptance {
        private final NoiseHandshakeState state;
        private final byte[] privateKey;
        private final NodeKey initiator;
        private final byte[] payload;
        private boolean used;

        CoordinatorAcceptance(NoiseHandshakeState state, byte[] privateKey, NodeKey initiator, byte[] payload) {
            this.state = state;
            this.privateKey = privateKey;
            this.initiator = initiator;
            this.payload = payload;
        }

        @Override
        public NodeKey initiator() {
            return initiator;
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public synchronized Reply reply(byte[] welcomePayload) throws ControlProtocolException {
            if (used) {
                throw new IllegalStateException("this control handshake was already answered");
            }
            if (welcomePayload.length > MAX_WELCOME) {
                throw new ControlProtocolException("welcome of " + welcomePayload.length + " bytes does not fit the second handshake message (at most " + MAX_WELCOME + ")");
            }
            used = true;
            try {
                byte[] message = state.writeMessage(welcomePayload);
                CipherState[] pair = state.split();
                return new SentReply(message, new ControlSession(pair[1], pair[0]));
            } catch (NoiseException e) {
                throw new ControlProtocolException("control handshake reply failed: " + e.getMessage());
            } finally {
                wipe(state, privateKey);
            }
        }
    }
}
