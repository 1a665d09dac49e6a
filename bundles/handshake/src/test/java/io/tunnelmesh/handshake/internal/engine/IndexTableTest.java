package io.tunnelmesh.handshake.internal.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexTableTest {
    record Owner(int localIndex) implements IndexOwner {
        @Override
        public WireGuardPeer peer() {
            return null;
        }
    }

    @Test
    void indicesAreUniqueAndOnlyTheExactIndexFindsItsOwner() throws Exception {
        IndexTable table = new IndexTable(new SecureRandom());
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int index = table.allocate();
            assertTrue(seen.add(index));
            Owner o = new Owner(index);
            table.put(index, o);
            assertSame(o, table.get(index));
            assertNull(table.get(index ^ (1 << 20)), "same slot, other upper bits: a stale or guessed index");
        }
    }

    @Test
    void aReleasedOrReservedIndexFindsNothingAndAFullTableSaysSo() throws Exception {
        IndexTable table = new IndexTable(new SecureRandom());
        int reserved = table.allocate();
        assertNull(table.get(reserved), "allocated but not yet owned");
        Owner o = new Owner(reserved);
        table.put(reserved, o);
        table.release(o);
        assertNull(table.get(reserved));
        for (int i = 0; i < 1 << IndexTable.SLOT_BITS; i++) {
            table.allocate();
        }
        assertThrows(IndexTable.TableFullException.class, table::allocate);
    }
}
