package io.tunnelmesh.handshake.internal.noise;

import java.util.ArrayList;
import java.util.List;

/**
 * A handshake pattern with its psk modifiers applied (spec §7 and §9). Only the IK family is defined: WireGuard
 * is IKpsk2 and the vectors cover IK, IKpsk0, IKpsk1, IKpsk2 and IKpsk0+psk2. Adding a pattern means adding
 * its token table to {@link #base}.
 *
 * @param responderStaticPreMessage whether the initiator knows the responder's static key in advance ({@code <- s})
 * @param messages                  tokens of each message; even indexes are written by the initiator
 * @param pskModes                  whether any psk modifier is present (then {@code e} also calls MixKey)
 */
public record HandshakePattern(String name, boolean responderStaticPreMessage, List<List<Token>> messages, boolean pskModes) {

    /** Parses e.g. {@code IK}, {@code IKpsk2}, {@code IKpsk0+psk2}. */
    public static HandshakePattern parse(String patternWithModifiers) {
        int firstPsk = patternWithModifiers.indexOf("psk");
        String base = firstPsk < 0 ? patternWithModifiers : patternWithModifiers.substring(0, firstPsk);
        List<List<Token>> messages = base(base);
        boolean psk = false;
        if (firstPsk >= 0) {
            for (String modifier : patternWithModifiers.substring(firstPsk).split("\\+")) {
                if (!modifier.startsWith("psk")) {
                    throw new IllegalArgumentException("unsupported Noise modifier " + modifier);
                }
                int position = Integer.parseInt(modifier.substring(3));
                if (position > messages.size()) {
                    throw new IllegalArgumentException(modifier + " points past the last message of " + base);
                }
                // psk0 goes at the start of message 1; pskN at the end of message N.
                if (position == 0) {
                    messages.get(0).addFirst(Token.PSK);
                } else {
                    messages.get(position - 1).add(Token.PSK);
                }
                psk = true;
            }
        }
        return new HandshakePattern(patternWithModifiers, true, messages, psk);
    }

    private static List<List<Token>> base(String name) {
        if (!name.equals("IK")) {
            throw new IllegalArgumentException("unsupported Noise pattern " + name + " (only the IK family is implemented)");
        }
        List<List<Token>> m = new ArrayList<>();
        m.add(new ArrayList<>(List.of(Token.E, Token.ES, Token.S, Token.SS)));
        m.add(new ArrayList<>(List.of(Token.E, Token.EE, Token.SE)));
        return m;
    }
}
