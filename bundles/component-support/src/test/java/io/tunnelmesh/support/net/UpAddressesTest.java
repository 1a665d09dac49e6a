package io.tunnelmesh.support.net;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpAddressesTest {
    @Test
    void listsTheUpLoopbackAndNoLinkLocalAddress() throws Exception {
        List<UpAddresses.Found> found = UpAddresses.list();

        assertTrue(found.stream().anyMatch(f -> f.address().isLoopbackAddress()), "loopback is always up: " + found);
        for (UpAddresses.Found f : found) {
            assertTrue(f.nic().isUp(), f + " is on an interface that is down");
            assertFalse(f.address().isLinkLocalAddress(), f + " is link-local");
        }
    }
}
