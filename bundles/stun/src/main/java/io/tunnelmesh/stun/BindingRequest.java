package io.tunnelmesh.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Binding request as a server sees it.
 *
 * @param unknownAttributes comprehension-required attribute types this server does not understand (at most
 *                          {@link #MAX_UNKNOWN} listed); not empty means the answer is a 420 error
 */
public record BindingRequest(TransactionId transactionId, List<Integer> unknownAttributes) {
    /** A 420 lists no more than this many, so the error stays small whatever the request holds. */
    public static final int MAX_UNKNOWN = 8;

    /**
     * Reads the datagram from position to limit without moving either. Empty when it is not a well-formed
     * Binding request (not STUN, another method or class, attributes that overrun, a wrong FINGERPRINT):
     * such a datagram gets no answer. Never throws.
     */
    public static Optional<BindingRequest> parse(ByteBuffer datagram) {
        if (!Stun.isStun(datagram) || Stun.type(datagram) != Stun.BINDING_REQUEST) {
            return Optional.empty();
        }
        AttributeReader attributes = new AttributeReader(datagram);
        List<Integer> unknown = new ArrayList<>(0);
        boolean afterIntegrity = false; // attributes after MESSAGE-INTEGRITY are ignored (RFC 8489 §14.5)
        while (attributes.next()) {
            int type = attributes.type;
            if (type == Attribute.MESSAGE_INTEGRITY || type == Attribute.MESSAGE_INTEGRITY_SHA256) {
                afterIntegrity = true;
            } else if (!afterIntegrity && Attribute.comprehensionRequired(type) && !Attribute.understoodInRequest(type)
                    && unknown.size() < MAX_UNKNOWN && !unknown.contains(type)) {
                unknown.add(type);
            }
        }
        if (attributes.malformed()) {
            return Optional.empty();
        }
        return Optional.of(new BindingRequest(TransactionId.read(datagram, datagram.position() + 8), List.copyOf(unknown)));
    }

    /** Writes a plain Binding request (SOFTWARE, FINGERPRINT) from the buffer's position, as a client sends it. */
    public static void write(ByteBuffer out, TransactionId id) {
        new MessageWriter(out, Stun.BINDING_REQUEST, id).finish();
    }
}
