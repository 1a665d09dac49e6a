package io.tunnelmesh.control;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ControlMutationFuzzTest} attacks: the codec, a live session (fed by a peer that seals frames of any
 * content) and the token parser, each with valid seeds. Every method lets only the declared exceptions out and throws AssertionError on a finding.
 */
final class ControlFuzzTargets {
    final ControlCodec codec = new ControlCodec();
    /** JSON of every message type, as encoded by the codec, and a few hand-written variants. */
    final List<byte[]> jsonSeeds = new ArrayList<>();
    /** Frame plaintexts: a continuation byte and part of a message. */
    final List<byte[]> plaintextSeeds = new ArrayList<>();
    final List<String> tokenSeeds = new ArrayList<>();
    /** Seals frames of any content for the session under attack. */
    private final Keys.ForgingPeer peer;

    ControlFuzzTargets() throws Exception {
        for (ControlMessage m : ControlCodecTest.everyType()) {
            byte[] json = codec.encode(m);
            jsonSeeds.add(json);
            plaintextSeeds.add(prefixed(ControlSession.LAST, json));
            plaintextSeeds.add(prefixed(ControlSession.MORE, Arrays.copyOf(json, json.length / 2)));
        }
        jsonSeeds.add("{\"type\":\"ping\",\"nonce\":1,\"extra\":[{\"a\":null},true,1.5e3,\"\\u00e9\"]}".getBytes(UTF_8));
        jsonSeeds.add("{\"type\":\"relay\"}".getBytes(UTF_8));
        tokenSeeds.add(JoinTokenTest.withSecret().encode());
        tokenSeeds.add(new JoinToken(Keys.generate().publicKey(), null, null, List.of("127.0.0.1:7443")).encode());
        peer = Keys.forgingPeer();
    }

    private static byte[] prefixed(byte flag, byte[] body) {
        byte[] p = new byte[body.length + 1];
        p[0] = flag;
        System.arraycopy(body, 0, p, 1, body.length);
        return p;
    }

    void decode(byte[] json) {
        try {
            codec.decode(json);
        } catch (ControlProtocolException e) {
            requireOneLine(e.getMessage());
        }
        try {
            Optional<ControlMessage> m = codec.decodeIfKnown(json);
            if (m.isPresent() && m.get() == null) {
                throw new AssertionError("decodeIfKnown returned Optional of null");
            }
        } catch (ControlProtocolException e) {
            requireOneLine(e.getMessage());
        }
    }

    /**
     * Seals {@code genuine} as the next frame, offers the receiver {@code mutated} first, then the genuine frame.
     * A mutated frame must be refused; the genuine one must then still open, so the pair stays in step.
     */
    void forgedFrame(byte[] genuinePlaintext, java.util.function.UnaryOperator<byte[]> mutation) throws ControlProtocolException {
        byte[] genuine = peer.frame(genuinePlaintext);
        byte[] mutated = mutation.apply(genuine.clone());
        if (!Arrays.equals(mutated, genuine)) {
            try {
                peer.receiver().open(mutated);
                throw new AssertionError("a modified frame was accepted");
            } catch (ControlProtocolException expected) {
                requireOneLine(expected.getMessage());
            }
        }
        // the genuine frame still opens (or is refused for its own content: a seed without a continuation byte)
        peer.receiver().open(genuine);
    }

    /** Authentic frames of arbitrary content reach the continuation-byte and reassembly logic. */
    void authenticFrame(byte[] plaintext) {
        try {
            peer.receiver().open(peer.frame(plaintext));
        } catch (ControlProtocolException e) {
            requireOneLine(e.getMessage());
        }
    }

    void parseToken(String text) {
        try {
            JoinToken t = JoinToken.parse(text);
            if (!JoinToken.parse(t.encode()).equals(t)) {
                throw new AssertionError("a parsed token does not survive encode/parse");
            }
        } catch (IllegalArgumentException e) {
            requireOneLine(e.getMessage());
            if (!e.getMessage().startsWith("join token: ")) {
                throw new AssertionError("token error without the 'join token:' prefix: " + e.getMessage());
            }
        }
    }

    private static void requireOneLine(String message) {
        if (message == null || message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0 || message.length() > 500) {
            throw new AssertionError("not a one-line error: " + message);
        }
    }
}
