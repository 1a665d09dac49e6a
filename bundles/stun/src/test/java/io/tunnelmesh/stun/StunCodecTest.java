package io.tunnelmesh.stun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StunCodecTest {
    private static final InetSocketAddress V4 = new InetSocketAddress(ip("192.0.2.1"), 32853);
    private static final InetSocketAddress V6 = new InetSocketAddress(ip("2001:db8:1234:5678:11:2233:4455:6677"), 32853);

    @Test
    void rfc5769SampleRequestIsABindingRequestWithNothingUnknown() {
        ByteBuffer request = Rfc5769Vectors.bytes(Rfc5769Vectors.REQUEST);
        assertTrue(Stun.isStun(request));
        assertFalse(Stun.isWireGuard(request));
        assertEquals(Optional.of(new BindingRequest(Rfc5769Vectors.ID, List.of())), BindingRequest.parse(request));
        assertEquals(0, request.position(), "parsing does not consume the datagram");
    }

    @Test
    void rfc5769SampleResponsesGiveTheirMappedAddresses() {
        assertEquals(Optional.of(new BindingResponse(Rfc5769Vectors.ID, V4)),
                BindingResponse.parse(Rfc5769Vectors.bytes(Rfc5769Vectors.IPV4_RESPONSE)));
        assertEquals(Optional.of(new BindingResponse(Rfc5769Vectors.ID, V6)),
                BindingResponse.parse(Rfc5769Vectors.bytes(Rfc5769Vectors.IPV6_RESPONSE)));
    }

    @Test
    void writtenXorMappedAddressIsByteForByteTheRfcs() {
        // the vectors' XOR-MAPPED-ADDRESS attributes, which depend only on the id and the address
        assertTrue(hex(success(Rfc5769Vectors.ID, V4)).contains("002000080001a147e112a643"));
        assertTrue(hex(success(Rfc5769Vectors.ID, V6)).contains("002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"));
    }

    @Test
    void successResponsesRoundTripWithAValidFingerprint() {
        TransactionId id = TransactionId.random(new SplittableRandom(1));
        for (InetSocketAddress mapped : List.of(V4, V6, new InetSocketAddress(ip("203.0.113.10"), 1),
                new InetSocketAddress(ip("::1"), 65535))) {
            ByteBuffer response = success(id, mapped);
            assertTrue(Stun.isStun(response));
            assertEquals(Optional.of(new BindingResponse(id, mapped)), BindingResponse.parse(response));
            assertTrue(response.remaining() <= Stun.HEADER_LENGTH + BindingResponse.MAX_GROWTH, "at most 84 bytes");
            ByteBuffer broken = copy(response);
            broken.put(broken.limit() - 1, (byte) (broken.get(broken.limit() - 1) ^ 1));
            assertEquals(Optional.empty(), BindingResponse.parse(broken), "a wrong FINGERPRINT is not STUN");
        }
    }

    @Test
    void writtenRequestParsesAsOne() {
        TransactionId id = TransactionId.random(new SplittableRandom(2));
        ByteBuffer out = ByteBuffer.allocate(64);
        BindingRequest.write(out, id);
        out.flip();
        assertEquals(Optional.of(new BindingRequest(id, List.of())), BindingRequest.parse(out));
    }

    @Test
    void unknownComprehensionRequiredAttributesAreListedAndOptionalOnesIgnored() {
        // CHANGE-REQUEST (0x0003, RFC 5780) is comprehension-required and not supported; 0x8123 is optional
        ByteBuffer request = request("0003000400000006" + "8123000400000000" + "7fff000100000000");
        BindingRequest parsed = BindingRequest.parse(request).orElseThrow();
        assertEquals(List.of(0x0003, 0x7fff), parsed.unknownAttributes());

        ByteBuffer out = ByteBuffer.allocate(128);
        BindingResponse.writeUnknownAttributes(out, parsed.transactionId(), parsed.unknownAttributes());
        out.flip();
        assertTrue(Stun.isStun(out));
        assertEquals(Stun.BINDING_ERROR, out.getShort(0));
        String hex = hex(out);
        assertTrue(hex.contains("0009001500000414"), "ERROR-CODE 420: " + hex);
        assertTrue(hex.contains("000a000400037fff"), "UNKNOWN-ATTRIBUTES: " + hex);
        assertTrue(out.remaining() <= request.remaining() + BindingResponse.MAX_GROWTH);
    }

    @Test
    void wireGuardMessagesAreNeverStunAndStunNeverWireGuard() {
        for (int type = 1; type <= 4; type++) {
            for (int size : new int[] {32, 64, 92, 148}) {
                ByteBuffer wg = ByteBuffer.allocate(size);
                wg.put(0, (byte) type).putInt(4, Stun.MAGIC_COOKIE); // even with the cookie where an index goes
                assertTrue(Stun.isWireGuard(wg));
                assertFalse(Stun.isStun(wg), "type " + type + " size " + size);
            }
        }
        for (String vector : List.of(Rfc5769Vectors.REQUEST, Rfc5769Vectors.IPV4_RESPONSE, Rfc5769Vectors.IPV6_RESPONSE)) {
            assertFalse(Stun.isWireGuard(Rfc5769Vectors.bytes(vector)));
        }
    }

    @Test
    void notABindingRequestIsEmpty() {
        assertEquals(Optional.empty(), BindingRequest.parse(Rfc5769Vectors.bytes(Rfc5769Vectors.IPV4_RESPONSE)));
        assertEquals(Optional.empty(), BindingRequest.parse(ByteBuffer.allocate(0)));
        ByteBuffer indication = request("");
        indication.put(1, (byte) 0x11); // Binding indication
        assertEquals(Optional.empty(), BindingRequest.parse(indication));
        ByteBuffer overrun = request("0006000800000000"); // USERNAME says 8 bytes, 4 are there
        assertEquals(Optional.empty(), BindingRequest.parse(overrun));
        ByteBuffer notLast = request("80280004000000000006000400000000"); // FINGERPRINT before another attribute
        assertEquals(Optional.empty(), BindingRequest.parse(notLast));
    }

    /** A Binding request with id 0 and these attributes (hex), no FINGERPRINT. */
    private static ByteBuffer request(String attributes) {
        int length = attributes.length() / 2;
        return ByteBuffer.wrap(HexFormat.of().parseHex(String.format("0001%04x2112a442", length) + "00".repeat(12) + attributes));
    }

    private static ByteBuffer success(TransactionId id, InetSocketAddress mapped) {
        ByteBuffer out = ByteBuffer.allocate(128);
        BindingResponse.writeSuccess(out, id, mapped);
        return out.flip();
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private static String hex(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
