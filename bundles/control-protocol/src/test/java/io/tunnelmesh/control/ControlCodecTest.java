package io.tunnelmesh.control;

import static io.tunnelmesh.control.ControlHandshakeTest.assertOneLine;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlCodecTest {
    private final ControlCodec codec = new ControlCodec();

    static final NodeEntry NODE = new NodeEntry("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "laptop", "100.64.0.2", "fd7a:115c:a1e0::2",
            List.of("198.51.100.7:51820", "10.0.0.2:51820"), "SHA256:abc", true);

    static List<ControlMessage> everyType() {
        return List.of(
                new Hello(1, Hello.JOIN, "0123456789abcdef", "c2VjcmV0", null, "laptop.local", "AAAAC3NzaC1lZDI1NTE5", "SHA256:abc", "U1NIU0lH", 51820, List.of("10.0.0.2:51820")),
                new Welcome(null, null, NODE, "cHNr", "100.64.0.0/16", "fd7a:115c:a1e0::/48"),
                new Welcome("the token was already used", "TOKEN_USED", null, null, null, null),
                new PeerMap(List.of(NODE, new NodeEntry("k2", "desk", "100.64.0.3", null, List.of(), null, false))),
                new PeerDelta(List.of(NODE), List.of("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=")),
                new EndpointsReport(51820, List.of("10.0.0.2:51820", "[2001:db8::2]:51820")),
                new Ping(Long.MIN_VALUE),
                new Pong(Long.MAX_VALUE),
                new Bye("removed by the administrator"));
    }

    @Test
    void everyMessageTypeRoundTrips() throws Exception {
        for (ControlMessage m : everyType()) {
            assertEquals(m, codec.decode(codec.encode(m)));
        }
    }

    @Test
    void theTypeNamesAreThoseOfTheProtocol() throws Exception {
        List<String> names = List.of("hello", "welcome", "welcome", "map", "delta", "endpoints", "ping", "pong", "bye");
        List<ControlMessage> messages = everyType();
        for (int i = 0; i < messages.size(); i++) {
            String json = new String(codec.encode(messages.get(i)), UTF_8);
            assertTrue(json.contains("\"type\":\"" + names.get(i) + "\""), json);
        }
        assertEquals("{\"type\":\"ping\",\"nonce\":5}", new String(codec.encode(new Ping(5)), UTF_8));
    }

    @Test
    void missingListsBecomeEmptyAndUnknownFieldsAreIgnored() throws Exception {
        assertEquals(new PeerDelta(List.of(), List.of()), decode("{\"type\":\"delta\"}"));
        assertEquals(new PeerMap(List.of()), decode("{\"type\":\"map\",\"peers\":null}"));
        assertEquals(new Ping(3), decode("{\"nonce\":3,\"future\":{\"a\":[1,2]},\"type\":\"ping\"}"));
        Hello h = (Hello) decode("{\"type\":\"hello\",\"version\":1,\"mode\":\"connect\",\"listenPort\":0}");
        assertEquals(List.of(), h.endpoints());
        assertEquals(null, h.tokenId());
    }

    @Test
    void anUnknownTypeIsAnErrorForDecodeAndEmptyForDecodeIfKnown() throws Exception {
        byte[] json = "{\"type\":\"relay\",\"x\":1}".getBytes(UTF_8);
        ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> codec.decode(json));
        assertTrue(e.getMessage().contains("relay"), e.getMessage());
        assertEquals(Optional.empty(), codec.decodeIfKnown(json));
        assertEquals(Optional.of(new Pong(1)), codec.decodeIfKnown("{\"type\":\"pong\",\"nonce\":1}".getBytes(UTF_8)));
    }

    @Test
    void garbageGetsAOneLineError() {
        List<String> garbage = List.of(
                "", "   ", "not json", "{", "{\"type\":\"ping\",\"nonce\":1", "[]", "null", "42", "\"hello\"",
                "{}", "{\"type\":null}", "{\"type\":7}", "{\"nonce\":1}",
                "{\"type\":\"ping\",\"nonce\":\"1\"}", "{\"type\":\"ping\",\"nonce\":1.5}", "{\"type\":\"ping\",\"nonce\":null}",
                "{\"type\":\"ping\",\"nonce\":1e400}", "{\"type\":\"ping\",\"nonce\":123456789012345678901234567890}",
                "{\"type\":\"ping\",\"nonce\":1} trailing", "{\"type\":\"ping\",\"nonce\":1,\"nonce\":2}",
                "{\"type\":\"hello\",\"version\":\"one\"}", "{\"type\":\"hello\",\"endpoints\":\"10.0.0.1:1\"}",
                "{\"type\":\"hello\",\"name\":{\"x\":1}}", "{\"type\":\"hello\",\"name\":[\"x\"]}",
                "{\"type\":\"map\",\"peers\":[null]}", "{\"type\":\"map\",\"peers\":[1]}", "{\"type\":\"map\",\"peers\":{}}",
                "{\"type\":\"map\",\"peers\":[{\"online\":\"yes\"}]}", "{\"type\":\"map\",\"peers\":[{\"online\":1}]}",
                "{\"type\":\"delta\",\"removed\":[null]}", "{\"type\":\"welcome\",\"self\":\"me\"}",
                "{\"type\":\"bye\",\"reason\":\"a\nb\"}x", "\u0000\u0001\u0002", "[".repeat(5000), "{\"a\":".repeat(5000));
        for (String g : garbage) {
            ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> decode(g), g);
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().length() < 400, e.getMessage());
        }
    }

    @Test
    void aStringWhereANumberBelongsIsNamedInTheError() {
        ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> decode("{\"type\":\"hello\",\"listenPort\":\"51820\"}"));
        assertTrue(e.getMessage().contains("listenPort"), e.getMessage());
    }

    @Test
    void aMissingNumberIsAnErrorNamingIt() {
        ControlProtocolException e = assertThrows(ControlProtocolException.class, () -> decode("{\"type\":\"ping\"}"));
        assertEquals("control message \"ping\" is malformed: field nonce: missing or null where a number or boolean belongs", e.getMessage());
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] json = "{\"type\":\"bye\",\"reason\":\"xx\"}".getBytes(UTF_8);
        json[24] = (byte) 0xC3;
        json[25] = (byte) 0x28;
        assertThrows(ControlProtocolException.class, () -> codec.decode(json));
    }

    private ControlMessage decode(String json) throws ControlProtocolException {
        return codec.decode(json.getBytes(UTF_8));
    }

    @Test
    void anEncodedEntryIsTheNodeObjectAsAMapCarriesIt() throws Exception {
        String entry = new String(codec.encodeEntry(NODE), UTF_8);
        assertEquals("{\"type\":\"map\",\"peers\":[" + entry + "]}", new String(codec.encode(new PeerMap(List.of(NODE))), UTF_8));
        assertEquals(new PeerMap(List.of(NODE)), codec.decode(("{\"type\":\"map\",\"peers\":[" + entry + "]}").getBytes(UTF_8)));
    }
}
