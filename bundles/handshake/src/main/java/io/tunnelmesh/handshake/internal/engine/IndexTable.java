package io.tunnelmesh.handshake.internal.engine;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Maps our session indices to their owners without locks or boxing on lookup (the data path looks up every
 * packet). An index is a random number whose low {@value #SLOT_BITS} bits pick a slot of a fixed array, so
 * lookup is one array read plus a comparison; the upper 18 bits are fresh random bits each time, so an index is
 * still unpredictable and a stale one does not match a reused slot. Capacity: 16384 live indices (3 keypairs
 * and a handshake per peer, i.e. over 4000 peers per node).
 */
final class IndexTable {
    static final int SLOT_BITS = 14;
    private static final int SIZE = 1 << SLOT_BITS;
    private static final int MASK = SIZE - 1;

    private final AtomicReferenceArray<IndexOwner> slots = new AtomicReferenceArray<>(SIZE);
    private final SecureRandom random;

    IndexTable(SecureRandom random) {
        this.random = random;
    }

    /**
     * A fresh index for an owner that will store it; the slot stays reserved until {@link #release}.
     *
     * @throws TableFullException when all slots are taken (a handshake then fails; nothing else breaks)
     */
    synchronized int allocate() throws TableFullException {
        int start = random.nextInt(SIZE);
        for (int i = 0; i < SIZE; i++) {
            int slot = (start + i) & MASK;
            if (slots.get(slot) == null) {
                slots.set(slot, Reserved.INSTANCE);
                return (random.nextInt() << SLOT_BITS) | slot;
            }
        }
        throw new TableFullException();
    }

    /** Points an allocated index at its owner (or moves it from a handshake to the keypair it became). */
    void put(int index, IndexOwner owner) {
        slots.set(index & MASK, owner);
    }

    /** @return the owner of exactly this index, or null */
    IndexOwner get(int index) {
        IndexOwner o = slots.get(index & MASK);
        return o != null && o != Reserved.INSTANCE && o.localIndex() == index ? o : null;
    }

    /** Frees the slot if {@code owner} still holds it. */
    void release(IndexOwner owner) {
        slots.compareAndSet(owner.localIndex() & MASK, owner, null);
    }

    /** Frees an allocated index that never got an owner. */
    void cancel(int index) {
        slots.compareAndSet(index & MASK, Reserved.INSTANCE, null);
    }

    /** All session indices are in use. Stackless: it can be provoked from the network. */
    static final class TableFullException extends Exception {
        TableFullException() {
            super("all " + SIZE + " session indices are in use", null, false, false);
        }
    }

    /** Marks a slot taken between allocation and {@link #put}; never matches an index. */
    private static final class Reserved implements IndexOwner {
        static final Reserved INSTANCE = new Reserved();

        @Override
        public int localIndex() {
            return 0;
        }

        @Override
        public WireGuardPeer peer() {
            return null;
        }
    }
}
