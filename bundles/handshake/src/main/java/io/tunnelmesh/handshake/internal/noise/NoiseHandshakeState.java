package io.tunnelmesh.handshake.internal.noise;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Noise HandshakeState (spec §5.3) driven by a {@link HandshakePattern}. Not thread-safe: one handshake is
 * owned by one caller at a time.
 */
public final class NoiseHandshakeState {
    private final NoiseProtocol protocol;
    private final boolean initiator;
    private final SymmetricState symmetric;
    private final Supplier<byte[]> ephemerals;
    private final Deque<byte[]> psks;
    private final byte[] localStaticPrivate;
    private final byte[] localStaticPublic;
    private byte[] ephemeralPrivate;
    private byte[] remoteStatic;
    private byte[] remoteEphemeral;
    private byte[] precomputedStaticStatic;
    private RemoteStaticCheck remoteStaticCheck = rs -> null;
    private int messageIndex;

    /**
     * @param localStaticPrivate  our static private key (null for patterns without one; IK needs it)
     * @param localStaticPublic   its public key, or null to compute it
     * @param remoteStaticPublic  the responder's static key for an IK initiator; null for a responder
     * @param psks                the pre-shared keys in the order the psk tokens use them
     * @param ephemerals          supplies the ephemeral private key (random normally, fixed for test vectors)
     */
    public NoiseHandshakeState(NoiseProtocol protocol, boolean initiator, byte[] prologue, byte[] localStaticPrivate,
                               byte[] localStaticPublic, byte[] remoteStaticPublic, List<byte[]> psks, Supplier<byte[]> ephemerals) {
        this.protocol = protocol;
        this.initiator = initiator;
        this.symmetric = new SymmetricState(protocol.name(), protocol.hash(), protocol.cipher());
        this.ephemerals = ephemerals;
        this.psks = new ArrayDeque<>(psks);
        this.localStaticPrivate = localStaticPrivate;
        this.localStaticPublic = localStaticPublic != null ? localStaticPublic
                : localStaticPrivate == null ? null : protocol.dh().publicKey(localStaticPrivate);
        this.remoteStatic = remoteStaticPublic;
        symmetric.mixHash(prologue);
        if (protocol.pattern().responderStaticPreMessage()) {
            symmetric.mixHash(initiator ? remoteStaticPublic : this.localStaticPublic);
        }
    }

    /** Lets a responder vet the initiator's static key and supply a precomputed {@code ss}. */
    public void setRemoteStaticCheck(RemoteStaticCheck check) {
        this.remoteStaticCheck = check;
    }

    /** An initiator that already knows DH(s, rs) passes it here to skip that multiplication. */
    public void setPrecomputedStaticStatic(byte[] ss) {
        this.precomputedStaticStatic = ss;
    }

    public byte[] writeMessage(byte[] payload) throws NoiseException {
        List<Token> tokens = nextTokens(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + payload.length);
        for (Token t : tokens) {
            switch (t) {
                case E -> {
                    ephemeralPrivate = ephemerals.get();
                    byte[] pub = protocol.dh().publicKey(ephemeralPrivate);
                    out.writeBytes(pub);
                    mixEphemeral(pub);
                }
                case S -> out.writeBytes(symmetric.encryptAndHash(localStaticPublic));
                default -> mixToken(t);
            }
        }
        out.writeBytes(symmetric.encryptAndHash(payload));
        messageIndex++;
        return out.toByteArray();
    }

    /** @return the decrypted payload */
    public byte[] readMessage(byte[] message, int offset, int length) throws NoiseException {
        List<Token> tokens = nextTokens(false);
        int pos = offset;
        int end = offset + length;
        int dhLen = protocol.dh().dhLen();
        for (Token t : tokens) {
            switch (t) {
                case E -> {
                    requireBytes(end - pos, dhLen);
                    remoteEphemeral = Arrays.copyOfRange(message, pos, pos + dhLen);
                    pos += dhLen;
                    mixEphemeral(remoteEphemeral);
                }
                case S -> {
                    int len = dhLen + (symmetric.hasKey() ? NoiseCipher.TAG_LENGTH : 0);
                    requireBytes(end - pos, len);
                    remoteStatic = symmetric.decryptAndHash(message, pos, len);
                    pos += len;
                    precomputedStaticStatic = remoteStaticCheck.accept(remoteStatic);
                }
                default -> mixToken(t);
            }
        }
        int payloadLength = end - pos;
        if (symmetric.hasKey()) {
            requireBytes(payloadLength, NoiseCipher.TAG_LENGTH);
        }
        byte[] payload = symmetric.decryptAndHash(message, pos, payloadLength);
        messageIndex++;
        return payload;
    }

    private List<Token> nextTokens(boolean writing) throws NoiseException {
        List<List<Token>> messages = protocol.pattern().messages();
        if (messageIndex >= messages.size()) {
            throw new NoiseException("handshake already complete");
        }
        boolean initiatorsTurn = messageIndex % 2 == 0;
        if (initiatorsTurn != (initiator == writing)) {
            throw new NoiseException("not this side's turn to " + (writing ? "write" : "read"));
        }
        return messages.get(messageIndex);
    }

    private void mixEphemeral(byte[] publicEphemeral) {
        symmetric.mixHash(publicEphemeral);
        if (protocol.pattern().pskModes()) {
            symmetric.mixKey(publicEphemeral);
        }
    }

    private void mixToken(Token t) throws NoiseException {
        NoiseDh dh = protocol.dh();
        switch (t) {
            case EE -> symmetric.mixKey(dh.dh(ephemeralPrivate, remoteEphemeral));
            case ES -> symmetric.mixKey(initiator ? dh.dh(ephemeralPrivate, remoteStatic) : dh.dh(localStaticPrivate, remoteEphemeral));
            case SE -> symmetric.mixKey(initiator ? dh.dh(localStaticPrivate, remoteEphemeral) : dh.dh(ephemeralPrivate, remoteStatic));
            case SS -> symmetric.mixKey(precomputedStaticStatic != null ? precomputedStaticStatic : dh.dh(localStaticPrivate, remoteStatic));
            case PSK -> {
                byte[] psk = psks.pollFirst();
                if (psk == null) {
                    throw new NoiseException("pattern needs more pre-shared keys than were given");
                }
                symmetric.mixKeyAndHash(psk);
            }
            default -> throw new IllegalStateException("token " + t + " is handled by the caller");
        }
    }

    private static void requireBytes(int available, int needed) throws NoiseException {
        if (available < needed) {
            throw new NoiseException("handshake message too short");
        }
    }

    public boolean isComplete() {
        return messageIndex >= protocol.pattern().messages().size();
    }

    public byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    public byte[] chainingKey() {
        return symmetric.chainingKey();
    }

    public byte[] remoteStatic() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    /** Transport CipherStates [initiator→responder, responder→initiator]; then wipes handshake secrets. */
    public CipherState[] split() throws NoiseException {
        if (!isComplete()) {
            throw new NoiseException("handshake not complete");
        }
        CipherState[] pair = symmetric.split();
        wipe();
        return pair;
    }

    /** Wipes the ephemeral private key and the symmetric state (ck, h, k). */
    public void wipe() {
        if (ephemeralPrivate != null) {
            Arrays.fill(ephemeralPrivate, (byte) 0);
        }
        symmetric.wipe();
    }
}
