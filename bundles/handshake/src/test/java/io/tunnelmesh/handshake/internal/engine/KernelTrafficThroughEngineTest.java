package io.tunnelmesh.handshake.internal.engine;

import io.tunnelmesh.handshake.internal.testing.TestEndpoint;
import static io.tunnelmesh.handshake.internal.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunnelmesh.api.NodeKey;
import io.tunnelmesh.api.PresharedKey;
import io.tunnelmesh.api.StaticKeyPair;
import io.tunnelmesh.api.handshake.EngineOptions;
import io.tunnelmesh.api.handshake.PacketOutcome;
import io.tunnelmesh.api.handshake.PacketOutcome.Action;
import io.tunnelmesh.cipher.internal.ChaCha20Poly1305Cipher;
import io.tunnelmesh.handshake.internal.noise.NoiseDh;
import io.tunnelmesh.handshake.internal.testing.Vectors;
import io.tunnelmesh.handshake.internal.wireguard.TransportHeader;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our engine, through its public API, stands in for the responder of Wireshark's recorded Linux-kernel
 * sessions: it takes the kernel's real initiations and must answer with the recorded response bytes
 * (ephemeral key and index scripted), deliver every packet the kernel initiator sent, and seal every packet
 * the kernel responder sent into the identical datagram (same counter, padding and ciphertext) — including
 * a rekey where the old session still carries a packet after the new handshake.
 */
class KernelTrafficThroughEngineTest {
    private final JsonNode data = Vectors.load("wireguard/wireshark-captures.json");
    private final TestEndpoint kernel = TestEndpoint.of("10.9.0.1", 43462);

    record Event(int frame, JsonNode handshake, JsonNode transport) {
    }

    @Test
    void engineAnswersKernelHandshakesAndReproducesTheResponderTraffic() {
        int responses = 0;
        int delivered = 0;
        int resealed = 0;
        for (JsonNode capture : data.get("captures")) {
            Map<String, Responder> responders = new HashMap<>();
            Map<Integer, Responder> byIndex = new HashMap<>();
            List<Event> events = new ArrayList<>();
            capture.get("handshakes").forEach(h -> events.add(new Event(h.get("initiation_frame").asInt(), h, null)));
            capture.get("transport").forEach(t -> events.add(new Event(t.get("frame").asInt(), null, t)));
            events.sort((a, b) -> Integer.compare(a.frame, b.frame));
            for (Event e : events) {
                long now = e.frame * 1_000_000_000L;
                if (e.handshake != null) {
                    JsonNode h = e.handshake;
                    Responder r = responders.computeIfAbsent(h.get("responder_static").asText(), name -> new Responder(h));
                    r.random.nextEphemeral(key(h.get("responder_ephemeral").asText()));
                    r.random.nextIndex(h.get("response_sender_index").asInt());
                    r.receive(hex(h.get("initiation_hex")), now);
                    assertEquals(Action.SEND_TO_SOURCE, r.outcome.action(), "frame " + e.frame + ": " + r.outcome);
                    assertEquals(h.get("response_hex").asText(), hex(r.output()), "response to frame " + e.frame);
                    byIndex.put(h.get("response_sender_index").asInt(), r);
                    byIndex.put(h.get("initiation_sender_index").asInt(), r);
                    responses++;
                    continue;
                }
                JsonNode t = e.transport;
                byte[] packet = hex(t.get("packet_hex"));
                int index = TransportHeader.receiverIndex(ByteBuffer.wrap(packet), 0);
                Responder r = byIndex.get(index);
                byte[] plain = hex(t.get("plaintext_hex"));
                byte[] inner = Arrays.copyOf(plain, t.get("inner_ip_total_length").asInt());
                if (r.ownsIndex(index)) {
                    r.receive(packet, now);
                    Action expected = t.get("keepalive").asBoolean() ? Action.NONE : Action.DELIVER;
                    assertEquals(expected, r.outcome.action(), "frame " + e.frame + ": " + r.outcome);
                    assertEquals(true, r.outcome.authenticated());
                    if (expected == Action.DELIVER) {
                        assertEquals(hex(inner), hex(r.output()), "frame " + e.frame);
                    }
                    delivered++;
                } else {
                    r.out.clear();
                    r.engine.peer(r.initiator).encapsulate(ByteBuffer.wrap(inner), r.out, now, r.outcome);
                    assertEquals(Action.SEND_TO_PEER, r.outcome.action(), "frame " + e.frame);
                    assertEquals(t.get("packet_hex").asText(), hex(r.output()), "resealed frame " + e.frame);
                    resealed++;
                }
            }
        }
        System.out.printf("Kernel traffic through the engine: %d responses byte for byte, %d packets received, %d packets resealed byte for byte%n",
                responses, delivered, resealed);
        assertEquals(4, responses);
        assertEquals(18, delivered + resealed);
    }

    private byte[] key(String name) {
        return hex(data.get("keys_hex").get(name));
    }

    /** An engine holding the responder's static key, with the initiator as its peer. */
    private final class Responder {
        final ScriptedRandom random = new ScriptedRandom();
        final WireGuardEngine engine;
        final NodeKey initiator;
        final PacketOutcome outcome = new PacketOutcome();
        final ByteBuffer out = ByteBuffer.allocate(2048);
        final List<Integer> ownIndices = new ArrayList<>();

        Responder(JsonNode h) {
            byte[] priv = key(h.get("responder_static").asText());
            NodeKey pub = NodeKey.of(NoiseDh.DH25519.publicKey(priv));
            initiator = NodeKey.of(NoiseDh.DH25519.publicKey(key(h.get("initiator_static").asText())));
            engine = new WireGuardEngine(new EngineOptions(new StaticKeyPair(priv, pub), PresharedKey.of(hex(h.get("psk_hex"))),
                    () -> Instant.parse("2018-08-01T00:00:00Z")), new ChaCha20Poly1305Cipher(), random);
            engine.addPeer(initiator, 0);
        }

        boolean ownsIndex(int index) {
            return ownIndices.contains(index);
        }

        void receive(byte[] datagram, long now) {
            out.clear();
            engine.receive(ByteBuffer.wrap(datagram), kernel, out, now, outcome);
            if (datagram.length == 148 && outcome.action() == Action.SEND_TO_SOURCE) {
                ownIndices.add(io.tunnelmesh.handshake.internal.wireguard.HandshakeResponse.senderIndex(output()));
            }
        }

        byte[] output() {
            return Arrays.copyOfRange(out.array(), out.position(), out.limit());
        }
    }
}
