package io.tunnelmesh.handshake.internal.wireguard;

import static io.tunnelmesh.handshake.internal.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelmesh.api.cipher.TransportKey;
import io.tunnelmesh.cipher.internal.ChaCha20Poly1305Cipher;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import io.tunnelmesh.handshake.internal.noise.NoiseHandshakeState;
import io.tunnelmesh.handshake.internal.testing.Vectors;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real Linux-kernel WireGuard traffic (Wireshark's test captures with their private keys): the 4 handshakes are
 * rebuilt byte for byte, mac1 included, and all 18 transport packets are decrypted with the derived keys
 * through the production packet cipher.
 */
class WiresharkCaptureTest {
    private final JsonNode data = Vectors.load("wireguard/wireshark-captures.json");

    @Test
    void kernelHandshakesAreRebuiltByteForByteAndEveryDataPacketDecrypts() throws Exception {
        int handshakes = 0;
        int packets = 0;
        ChaCha20Poly1305Cipher cipher = new ChaCha20Poly1305Cipher();
        for (JsonNode capture : data.get("captures")) {
            Map<Integer, TransportKey> keyByReceiverIndex = new HashMap<>();
            for (JsonNode hs : capture.get("handshakes")) {
                SessionKeys initiatorKeys = rebuild(hs, capture.get("file").asText());
                keyByReceiverIndex.put(hs.get("initiation_sender_index").asInt(), cipher.newKey(initiatorKeys.receiveKey()));
                keyByReceiverIndex.put(hs.get("response_sender_index").asInt(), cipher.newKey(initiatorKeys.sendKey()));
                handshakes++;
            }
            for (JsonNode p : capture.get("transport")) {
                ByteBuffer packet = ByteBuffer.wrap(hex(p.get("packet_hex")));
                assertEquals(MessageType.TRANSPORT, TransportHeader.readLe32(packet, 0));
                int index = TransportHeader.receiverIndex(packet, 0);
                assertEquals(p.get("receiver_index").asLong(), Integer.toUnsignedLong(index));
                long counter = TransportHeader.counter(packet, 0);
                assertEquals(p.get("counter").asLong(), counter);
                TransportKey key = keyByReceiverIndex.get(index);
                assertNotNull(key, "frame " + p.get("frame"));
                ByteBuffer plain = ByteBuffer.allocate(packet.capacity());
                int n = key.open(counter, packet.position(TransportHeader.LENGTH), plain);
                assertEquals(p.get("plaintext_len").asInt(), n, "frame " + p.get("frame"));
                assertEquals(p.get("plaintext_hex").asText(), hex(java.util.Arrays.copyOf(plain.array(), n)), "frame " + p.get("frame"));
                packets++;
            }
        }
        System.out.printf("Wireshark captures: %d kernel handshakes rebuilt byte for byte, %d transport packets decrypted%n", handshakes, packets);
        assertEquals(4, handshakes);
        assertEquals(18, packets);
    }

    /** Replays one handshake with the capture's keys on both sides; @return the initiator's transport keys */
    private SessionKeys rebuild(JsonNode hs, String file) throws Exception {
        byte[] initiatorPriv = key(hs.get("initiator_static").asText());
        byte[] responderPriv = key(hs.get("responder_static").asText());
        byte[] initiatorEph = key(hs.get("initiator_ephemeral").asText());
        byte[] responderEph = key(hs.get("responder_ephemeral").asText());
        byte[] psk = hex(hs.get("psk_hex"));
        var initiatorStatic = new WireGuardNoise.LocalStatic(initiatorPriv, NoiseDh.DH25519.publicKey(initiatorPriv));
        var responderStatic = new WireGuardNoise.LocalStatic(responderPriv, NoiseDh.DH25519.publicKey(responderPriv));
        String what = file + " initiation frame " + hs.get("initiation_frame");

        NoiseHandshakeState initiator = WireGuardNoise.initiator(initiatorStatic, responderStatic.publicKey(), psk, null, () -> initiatorEph.clone());
        byte[] initiation = WireGuardNoise.writeInitiation(initiator, hs.get("initiation_sender_index").asInt(),
                hex(hs.get("decrypted_timestamp_tai64n_hex")));
        new CookieGenerator(responderStatic.publicKey()).addMacs(initiation, 0);
        assertEquals(hs.get("initiation_hex").asText(), hex(initiation), what);
        assertEquals(hs.get("hash_after_initiation_hex").asText(), hex(initiator.handshakeHash()), what);
        assertEquals(hs.get("chaining_key_after_initiation_hex").asText(), hex(initiator.chainingKey()), what);

        CookieChecker responderMacs = new CookieChecker(responderStatic.publicKey(), new java.security.SecureRandom());
        assertEquals(true, responderMacs.mac1Valid(initiation), what + " mac1 as the responder checks it");
        NoiseHandshakeState responder = WireGuardNoise.responder(responderStatic, psk, () -> responderEph.clone());
        byte[] timestamp = WireGuardNoise.readInitiation(responder, initiation);
        assertEquals(hs.get("decrypted_timestamp_tai64n_hex").asText(), hex(timestamp));
        assertEquals(hex(initiatorStatic.publicKey()), hex(responder.remoteStatic()));

        byte[] response = WireGuardNoise.writeResponse(responder, hs.get("response_sender_index").asInt(), hs.get("initiation_sender_index").asInt());
        new CookieGenerator(initiatorStatic.publicKey()).addMacs(response, 0);
        assertEquals(hs.get("response_hex").asText(), hex(response), file + " response frame " + hs.get("response_frame"));
        WireGuardNoise.readResponse(initiator, response);
        assertEquals(hs.get("hash_after_response_hex").asText(), hex(initiator.handshakeHash()));
        assertEquals(hs.get("chaining_key_after_response_hex").asText(), hex(initiator.chainingKey()));

        SessionKeys initiatorKeys = WireGuardNoise.split(initiator, true);
        SessionKeys responderKeys = WireGuardNoise.split(responder, false);
        assertEquals(hs.get("transport_key_initiator_send_hex").asText(), hex(initiatorKeys.sendKey()));
        assertEquals(hs.get("transport_key_initiator_recv_hex").asText(), hex(initiatorKeys.receiveKey()));
        assertEquals(hex(initiatorKeys.sendKey()), hex(responderKeys.receiveKey()));
        assertEquals(hex(initiatorKeys.receiveKey()), hex(responderKeys.sendKey()));
        return initiatorKeys;
    }

    private byte[] key(String name) {
        return hex(data.get("keys_hex").get(name));
    }
}
