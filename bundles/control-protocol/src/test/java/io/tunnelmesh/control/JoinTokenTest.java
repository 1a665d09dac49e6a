package io.tunnelmesh.control;

import static io.tunnelmesh.control.ControlHandshakeTest.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunnelmesh.api.NodeKey;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
    private static final NodeKey COORDINATOR = Keys.generate().publicKey();

    static byte[] secret() {
        byte[] s = new byte[32];
        new SplittableRandom(7).nextBytes(s);
        return s;
    }

    static JoinToken withSecret() {
        return new JoinToken(COORDINATOR, "0123456789abcdef", secret(), List.of("coord.example.org:7443", "[2001:db8::1]:7443", "192.0.2.10:7443"));
    }

    @Test
    void aTokenWithASecretRoundTrips() {
        JoinToken t = withSecret();
        String text = t.encode();
        assertTrue(text.startsWith("tm1_"), text);
        assertFalse(text.contains("=") || text.contains("+") || text.contains("/"), "base64url without padding: " + text);
        JoinToken back = JoinToken.parse("  " + text + "\n");
        assertEquals(t, back);
        assertEquals(COORDINATOR, back.coordinatorKey());
        assertEquals("0123456789abcdef", back.tokenId());
        assertArrayEquals(secret(), back.secret());
        assertTrue(back.hasSecret());
        assertFalse(back.toString().contains(Base64.getEncoder().encodeToString(secret())), "toString hides the secret");
    }

    @Test
    void aTokenWithoutASecretRoundTripsAndIsShorter() {
        JoinToken t = new JoinToken(COORDINATOR, null, null, List.of("127.0.0.1:7443"));
        JoinToken back = JoinToken.parse(t.encode());
        assertEquals(t, back);
        assertFalse(back.hasSecret());
        assertNull(back.tokenId());
        assertNull(back.secret());
        assertTrue(t.encode().length() < withSecret().encode().length());
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        byte[] raw = Base64.getUrlDecoder().decode(withSecret().encode().substring(4));
        assertEquals(1, raw[0], "version");
        assertArrayEquals(COORDINATOR.toBytes(), java.util.Arrays.copyOfRange(raw, 1, 33));
        assertEquals(1, raw[33], "flags: carries a secret");
        assertEquals((byte) 0x01, raw[34], "token id, first byte");
        assertEquals((byte) 0xef, raw[41], "token id, last byte");
        assertArrayEquals(secret(), java.util.Arrays.copyOfRange(raw, 42, 74));
        assertEquals(3, raw[74], "number of addresses");
        assertEquals("coord.example.org:7443".length(), raw[75]);
    }

    @Test
    void brokenTokensGetOneLineErrorsSayingWhatToDo() {
        String good = withSecret().encode();
        List<String> broken = List.of("", "   ", "tm2_" + good.substring(4), "TM1_" + good.substring(4), good.substring(4),
                good.substring(0, good.length() - 10), good.substring(0, 20), "tm1_", good + "AAAA", good.replace('_', '/'),
                good.substring(0, 30) + "!" + good.substring(31), good.substring(0, 50) + " " + good.substring(50), "tm1_" + "A".repeat(200),
                rawToken(bytes(2)), rawToken(withSecretBytes(b -> b[33] = 3)), rawToken(withSecretBytes(b -> b[74] = 0)),
                rawToken(withSecretBytes(b -> b[74] = 9)), rawToken(withSecretBytes(b -> b[75] = 0)), rawToken(withSecretBytes(b -> b[76] = 0x0a)));
        for (String b : broken) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JoinToken.parse(b), b);
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().startsWith("join token: ") && e.getMessage().endsWith("; copy the whole tm1_… line from tm:token-create"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> JoinToken.parse(null));
    }

    @Test
    void theConstructorRefusesWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, "0123456789ABCDEF", secret(), List.of("a:1")));
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, "0123456789abcdef", null, List.of("a:1")));
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, null, new byte[31], List.of("a:1")));
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, null, null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, null, null, List.of("no-port")));
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, null, null, List.of("host:70000")));
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, null, null, List.of("h\u00e9st:1")));
        assertThrows(IllegalArgumentException.class, () -> new JoinToken(COORDINATOR, null, null, java.util.Collections.nCopies(9, "a:1")));
    }

    private static byte[] bytes(int version) {
        byte[] b = Base64.getUrlDecoder().decode(withSecret().encode().substring(4));
        b[0] = (byte) version;
        return b;
    }

    private static byte[] withSecretBytes(java.util.function.Consumer<byte[]> change) {
        byte[] b = bytes(1);
        change.accept(b);
        return b;
    }

    private static String rawToken(byte[] b) {
        return "tm1_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
