package io.tunnelmesh.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NodeKeyTest {
    /** RFC 7748 §6.1 Alice's X25519 public key, base64 as `wg pubkey` would print it. */
    private static final String ALICE = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";

    @Test
    void base64RoundTripsAsWgPrintsIt() {
        NodeKey k = NodeKey.parse(ALICE);
        assertEquals(ALICE, k.toBase64());
        assertEquals(0x85, k.toBytes()[0] & 0xff);
        assertEquals(k, NodeKey.of(k.toBytes()));
        assertEquals(k.hashCode(), NodeKey.parse(" " + ALICE + "\n").hashCode());
    }

    @Test
    void wrongLengthOrNotBase64IsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> NodeKey.parse("AAAA"));
        assertTrue(e.getMessage().contains("public key must be 32 bytes, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NodeKey.parse("not base64 at all!"));
        assertTrue(e.getMessage().startsWith("public key 'not base64 a…' is not base64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NodeKey.parse(""));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void rawBytesAreCopiedInAndOut() {
        byte[] raw = NodeKey.parse(ALICE).toBytes();
        NodeKey k = NodeKey.of(raw);
        raw[0] = 0;
        assertEquals(ALICE, k.toBase64());
        k.toBytes()[1] = 0;
        assertEquals(ALICE, k.toBase64());
        assertNotEquals(k, NodeKey.of(raw));
    }

    @Test
    void presharedKeyNeverPrintsItself() {
        PresharedKey psk = PresharedKey.parse(ALICE);
        assertEquals("(hidden)", psk.toString());
        assertEquals("(none)", PresharedKey.none().toString());
        assertTrue(PresharedKey.none().isNone());
        assertFalse(psk.isNone());
        assertEquals(psk, PresharedKey.of(psk.toBytes()));
    }

    @Test
    void staticKeyPairWipesAndHidesItsPrivateHalf() {
        StaticKeyPair pair = new StaticKeyPair(new byte[32], NodeKey.parse(ALICE));
        assertFalse(pair.toString().contains("AAAA"), pair.toString());
        byte[] copy = pair.privateKey();
        copy[0] = 9;
        assertEquals(0, pair.privateKey()[0]);
    }
}
