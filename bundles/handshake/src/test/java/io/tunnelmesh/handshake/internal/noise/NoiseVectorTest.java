package io.tunnelmesh.handshake.internal.noise;

import static io.tunnelmesh.handshake.internal.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelmesh.handshake.internal.testing.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row of the IK-family Noise vectors, byte for byte: each handshake message, each transport message and,
 * where the file has it, the handshake hash. Both sides are run; each reads what the other wrote.
 */
class NoiseVectorTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "noise/cacophony-IK-family.json, 48, 16",
        "noise/flynn-IK-family.json, 128, 0",
        "noise/snow-IK-family.json, 16, 0",
        "noise/noise-c-IK.json, 16, 16",
        "noise/wireguard-capture-as-noise.json, 4, 4",
    })
    void everyRowMatches(String file, int expectedRows, int expectedHashesAtLeast) throws Exception {
        JsonNode vectors = Vectors.load(file).get("vectors");
        int rows = 0;
        int messages = 0;
        int hashes = 0;
        int wireGuardSuite = 0;
        for (JsonNode row : vectors) {
            String name = row.has("protocol_name") ? row.get("protocol_name").asText() : row.get("name").asText();
            RowResult r = run(NoiseProtocol.parse(name), row, file + " row " + rows + " " + name);
            messages += r.messages;
            hashes += r.hashChecked ? 1 : 0;
            wireGuardSuite += name.equals("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s") ? 1 : 0;
            rows++;
        }
        System.out.printf("Noise vectors %s: %d rows ran (%d of the exact WireGuard suite), %d messages and %d handshake hashes matched%n",
                file, rows, wireGuardSuite, messages, hashes);
        assertEquals(expectedRows, rows);
        assertTrue(hashes >= expectedHashesAtLeast, "handshake hashes checked: " + hashes);
    }

    record RowResult(int messages, boolean hashChecked) {
    }

    static RowResult run(NoiseProtocol protocol, JsonNode row, String what) throws Exception {
        byte[] responderStatic = hex(row.get("resp_static"));
        // flynn lists only private keys: then the initiator's pre-message key is the responder's public key.
        byte[] remoteStatic = row.has("init_remote_static") ? hex(row.get("init_remote_static")) : protocol.dh().publicKey(responderStatic);
        NoiseHandshakeState initiator = new NoiseHandshakeState(protocol, true, prologue(row, "init_prologue"),
                hex(row.get("init_static")), null, remoteStatic, psks(row.get("init_psks")), fixed(hex(row.get("init_ephemeral"))));
        NoiseHandshakeState responder = new NoiseHandshakeState(protocol, false, prologue(row, "resp_prologue"),
                responderStatic, null, null, psks(row.get("resp_psks")), fixed(hex(row.get("resp_ephemeral"))));
        JsonNode msgs = row.get("messages");
        int count = 0;
        CipherState[] initiatorCiphers = null;
        CipherState[] responderCiphers = null;
        for (int i = 0; i < msgs.size(); i++) {
            byte[] payload = hex(msgs.get(i).get("payload"));
            byte[] expected = hex(msgs.get(i).get("ciphertext"));
            boolean fromInitiator = i % 2 == 0;
            byte[] written;
            byte[] read;
            if (!initiator.isComplete()) {
                NoiseHandshakeState writer = fromInitiator ? initiator : responder;
                NoiseHandshakeState reader = fromInitiator ? responder : initiator;
                written = writer.writeMessage(payload);
                read = reader.readMessage(written, 0, written.length);
            } else {
                if (initiatorCiphers == null) {
                    checkHash(row, initiator, responder, what);
                    initiatorCiphers = initiator.split();
                    responderCiphers = responder.split();
                }
                int direction = fromInitiator ? 0 : 1;
                written = (fromInitiator ? initiatorCiphers : responderCiphers)[direction].encryptWithAd(new byte[0], payload);
                read = (fromInitiator ? responderCiphers : initiatorCiphers)[direction].decryptWithAd(new byte[0], written, 0, written.length);
            }
            assertEquals(hex(expected), hex(written), what + " message " + i);
            assertEquals(hex(payload), hex(read), what + " payload " + i);
            count++;
        }
        boolean hashChecked = initiatorCiphers == null ? checkHash(row, initiator, responder, what) : row.has("handshake_hash");
        return new RowResult(count, hashChecked);
    }

    private static boolean checkHash(JsonNode row, NoiseHandshakeState initiator, NoiseHandshakeState responder, String what) {
        assertEquals(hex(initiator.handshakeHash()), hex(responder.handshakeHash()), what + " both sides' h");
        if (!row.has("handshake_hash")) {
            return false;
        }
        assertEquals(row.get("handshake_hash").asText(), hex(initiator.handshakeHash()), what + " handshake hash");
        return true;
    }

    private static byte[] prologue(JsonNode row, String field) {
        byte[] p = hex(row.get(field));
        return p == null ? new byte[0] : p;
    }

    private static List<byte[]> psks(JsonNode node) {
        List<byte[]> list = new ArrayList<>();
        if (node != null) {
            node.forEach(n -> list.add(hex(n)));
        }
        return list;
    }

    private static java.util.function.Supplier<byte[]> fixed(byte[] key) {
        return () -> key.clone();
    }
}
