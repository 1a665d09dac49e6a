package io.tunnelmesh.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A Binding success response: the address the server saw the request come from (the reflexive address).
 * Also writes the two answers a server gives.
 */
public record BindingResponse(TransactionId transactionId, InetSocketAddress mapped) {
    /**
     * The most a response written here is longer than the request it answers: a success is at most 68 bytes
     * (IPv6), a 420 is 80 bytes plus 2 per listed type (padded to 4), each of which took at least 4 bytes of the request.
     */
    public static final int MAX_GROWTH = 64;

    /**
     * Reads a success response from position to limit without moving either. Empty when it is not a
     * well-formed Binding success response with an (XOR-)MAPPED-ADDRESS. Never throws.
     */
    public static Optional<BindingResponse> parse(ByteBuffer datagram) {
        if (!Stun.isStun(datagram) || Stun.type(datagram) != Stun.BINDING_SUCCESS) {
            return Optional.empty();
        }
        TransactionId id = TransactionId.read(datagram, datagram.position() + 8);
        AttributeReader attributes = new AttributeReader(datagram);
        InetSocketAddress xorMapped = null;
        InetSocketAddress mapped = null;
        while (attributes.next()) {
            if (attributes.type == Attribute.XOR_MAPPED_ADDRESS && xorMapped == null) {
                xorMapped = address(datagram, attributes, MessageWriter.xorMask(id));
            } else if (attributes.type == Attribute.MAPPED_ADDRESS && mapped == null) {
                mapped = address(datagram, attributes, new byte[16]); // RFC 3489 servers send only this
            }
        }
        InetSocketAddress found = xorMapped != null ? xorMapped : mapped;
        return attributes.malformed() || found == null ? Optional.empty() : Optional.of(new BindingResponse(id, found));
    }

    /** Writes the success answer to {@code id}, from the buffer's position: XOR-MAPPED-ADDRESS, SOFTWARE, FINGERPRINT. */
    public static void writeSuccess(ByteBuffer out, TransactionId id, InetSocketAddress mapped) {
        new MessageWriter(out, Stun.BINDING_SUCCESS, id).xorMappedAddress(mapped).finish();
    }

    /** Writes the 420 (Unknown Attribute) error answer listing {@code unknown}, from the buffer's position. */
    public static void writeUnknownAttributes(ByteBuffer out, TransactionId id, List<Integer> unknown) {
        new MessageWriter(out, Stun.BINDING_ERROR, id).errorCode(420, "Unknown Attribute").unknownAttributes(unknown).finish();
    }

    /** Family 1 with 4 address bytes or family 2 with 16; null for anything else. */
    private static InetSocketAddress address(ByteBuffer message, AttributeReader at, byte[] mask) {
        int size = at.valueLength - 4;
        int family = size == 4 || size == 16 ? message.get(at.valueOffset + 1) : 0;
        if (family != (size == 4 ? 1 : 2)) {
            return null;
        }
        int port = (message.getShort(at.valueOffset + 2) ^ (mask[0] << 8 | mask[1] & 0xFF)) & 0xFFFF;
        byte[] address = new byte[size];
        for (int i = 0; i < size; i++) {
            address[i] = (byte) (message.get(at.valueOffset + 4 + i) ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
