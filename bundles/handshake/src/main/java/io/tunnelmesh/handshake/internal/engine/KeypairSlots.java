package io.tunnelmesh.handshake.internal.engine;

/**
 * A peer's previous / current / next keypairs as one immutable snapshot, swapped whole under the peer's lock and
 * read without a lock by the data path. {@code next} is a responder's keypair waiting for the initiator's first
 * data packet (key confirmation); {@code previous} still decrypts packets in flight after a rekey.
 */
record KeypairSlots(Keypair previous, Keypair current, Keypair next) {
    static final KeypairSlots EMPTY = new KeypairSlots(null, null, null);

    /** The initiator's new keypair is confirmed by the response, so it becomes current at once. */
    KeypairSlots withInitiatorKeypair(Keypair fresh, java.util.function.Consumer<Keypair> retire) {
        if (next != null) {
            retire.accept(current);
            retire.accept(previous);
            return new KeypairSlots(next, fresh, null);
        }
        retire.accept(previous);
        return new KeypairSlots(current, fresh, null);
    }

    /** A responder's keypair waits as next; the old next and previous go. */
    KeypairSlots withResponderKeypair(Keypair fresh, java.util.function.Consumer<Keypair> retire) {
        retire.accept(next);
        retire.accept(previous);
        return new KeypairSlots(null, current, fresh);
    }

    /** The initiator used {@code next}: it is confirmed and becomes current. */
    KeypairSlots promoteNext(java.util.function.Consumer<Keypair> retire) {
        retire.accept(previous);
        return new KeypairSlots(current, next, null);
    }

    void forEach(java.util.function.Consumer<Keypair> action) {
        if (previous != null) {
            action.accept(previous);
        }
        if (current != null) {
            action.accept(current);
        }
        if (next != null) {
            action.accept(next);
        }
    }
}
